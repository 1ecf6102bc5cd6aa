// Charts over time for the incident pages: the timeline strip of attacks
// and documents, whose brushed range becomes the hash's since and until
// (so it narrows the dashboard's list and the map alike), and the tempo
// chart of GET /api/v1/tempo with Ramadan shaded and changes of rate
// marked. Both are SVG: a few hundred marks need no canvas.

import { el, svgEl, api, pageHash, plural, count } from './app.js';
import { allAttacks } from './incidents.js';
import './timeline.css';

const DAY = 86400000;

// dayOf reads "2019", "2019-03", "2019-03-02" or an RFC 3339 time as the
// first day it may mean, in ms (UTC); NaN for none.
export function dayOf(s) {
  if (!s || s.startsWith('0001-')) return NaN;
  const m = /^([0-9]{4})(?:-([0-9]{2}))?(?:-([0-9]{2}))?/.exec(s);
  if (!m) return NaN;
  return Date.UTC(+m[1], m[2] ? +m[2] - 1 : 0, m[3] ? +m[3] : 1);
}

export const isoDay = (t) => new Date(t).toISOString().slice(0, 10);

// loading fills box with what load returns, saying so meanwhile and
// showing its error in place.
function loading(box, note, load, signal) {
  box.replaceChildren(el('p', { class: 'pending' }, note));
  box.setAttribute('aria-busy', 'true');
  load(signal).then((nodes) => {
    if (signal.aborted) return;
    box.replaceChildren(...nodes.filter(Boolean));
  }, (err) => {
    if (signal.aborted || err.name === 'AbortError') return;
    box.replaceChildren(el('p', { class: 'error' }, err.message));
  }).finally(() => box.removeAttribute('aria-busy'));
}

// ---- The timeline strip

const W = 1000;
const H = 64;

// timelineSection shows the attacks the filters select at any date, and
// the documents the caller reads, on one strip; dragging across it sets
// since and until in path's hash, keeping the other parameters (keep).
export function timelineSection(path, filters, keep, signal) {
  const box = el('div', { class: 'timeline-body' });
  const { since, until, ...rest } = filters;
  loading(box, 'Placing attacks and documents in time…', async (s) => {
    const [{ attacks, more }, docs] = await Promise.all([
      allAttacks(rest, s),
      api('documents', { limit: 1000 }, s).then((r) => r.documents, () => []),
    ]);
    const a = attacks.map((x) => ({ t: dayOf(x.date), x })).filter((p) => !Number.isNaN(p.t));
    const d = docs.map((x) => ({ t: dayOf(x.date), x })).filter((p) => !Number.isNaN(p.t));
    if (!a.length && !d.length) return [el('p', { class: 'empty' }, 'Nothing dated to place.')];
    return [strip(a, d, { since, until }, (range) => {
      location.hash = pageHash(path, { ...keep, since: range?.since || '', until: range?.until || '' });
    }), more ? el('p', { class: 'hint' }, 'The first 5,000 attacks only.') : null];
  }, signal);
  return el('section', { class: 'block timeline', 'aria-labelledby': 'timeline-title' },
    el('h2', { id: 'timeline-title' }, 'Timeline'),
    el('p', { class: 'hint' }, 'Attacks above, documents below. Drag across the strip to show only that period here and on the map; the Since and Until boxes do the same from the keyboard.'),
    box);
}

// strip draws the marks and the brush. range is the current since/until.
function strip(attacks, docs, range, set) {
  const times = [...attacks, ...docs].map((p) => p.t);
  let lo = Math.min(...times);
  let hi = Math.max(...times) + DAY;
  const pad = Math.max(DAY, (hi - lo) * 0.03);
  lo -= pad;
  hi += pad;
  const x = (t) => ((t - lo) / (hi - lo)) * W;
  const tOf = (px) => lo + (px / W) * (hi - lo);
  const chosen = [dayOf(range.since), range.until ? dayOf(range.until) + DAY : NaN];
  const sel = svgEl('rect', { class: 'brush', y: 0, height: H, x: 0, width: 0, visibility: 'hidden' });
  const showSel = (a, b) => {
    const [l, r] = [Math.min(a, b), Math.max(a, b)];
    sel.setAttribute('x', Math.max(0, l));
    sel.setAttribute('width', Math.max(0, Math.min(W, r) - Math.max(0, l)));
    sel.setAttribute('visibility', 'visible');
  };
  if (!Number.isNaN(chosen[0]) || !Number.isNaN(chosen[1])) {
    showSel(Number.isNaN(chosen[0]) ? 0 : x(chosen[0]), Number.isNaN(chosen[1]) ? W : x(chosen[1]));
  }
  const mark = (p, cls, y, title) => svgEl('g', { class: cls, 'data-day': isoDay(p.t) },
    svgEl('title', {}, title),
    svgEl('line', { x1: x(p.t), x2: x(p.t), y1: y, y2: y + 22 }));
  const ticks = [];
  const years = new Date(hi).getUTCFullYear() - new Date(lo).getUTCFullYear();
  for (let t = Date.UTC(new Date(lo).getUTCFullYear(), new Date(lo).getUTCMonth() + 1, 1); t < hi;) {
    const dt = new Date(t);
    const first = dt.getUTCMonth() === 0;
    if (years < 3 || first) ticks.push(svgEl('line', { class: first ? 'tick year' : 'tick', x1: x(t), x2: x(t), y1: 0, y2: H }));
    t = Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth() + 1, 1);
  }
  const svg = svgEl('svg', {
    class: 'strip', viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', width: '100%', height: H, role: 'img',
    'aria-label': `${plural(attacks.length, 'attack', 'attacks')} and ${plural(docs.length, 'document', 'documents')} from ${isoDay(lo + pad)} to ${isoDay(hi - pad - DAY)}`,
  },
  svgEl('rect', { class: 'bg', x: 0, y: 0, width: W, height: H }),
  ticks,
  docs.map((p) => mark(p, 'doc-mark', 36, `${p.x.title || '(untitled)'}, ${isoDay(p.t)}`)),
  attacks.map((p) => mark(p, 'attack-mark', 6, `${p.x.city || 'attack'}, ${p.x.date}`)),
  sel);
  // Brushing: a drag of a few pixels or more chooses the days it covers.
  let from = null;
  const at = (e) => {
    const b = svg.getBoundingClientRect();
    return Math.max(0, Math.min(W, ((e.clientX - b.left) / b.width) * W));
  };
  svg.addEventListener('pointerdown', (e) => {
    from = at(e);
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  });
  svg.addEventListener('pointermove', (e) => {
    if (from !== null) showSel(from, at(e));
  });
  svg.addEventListener('pointerup', (e) => {
    if (from === null) return;
    const to = at(e);
    const [l, r] = [Math.min(from, to), Math.max(from, to)];
    from = null;
    if (r - l < 3) return;
    set({ since: isoDay(tOf(l)), until: isoDay(tOf(r) - 1) });
  });
  const clear = !Number.isNaN(chosen[0]) || !Number.isNaN(chosen[1])
    ? el('button', { type: 'button', class: 'clear-range', onclick: () => set(null) }, 'Show all dates') : null;
  const axis = el('div', { class: 'axis' }, el('span', {}, isoDay(lo + pad)),
    el('span', { class: 'legend-line' }, el('span', { class: 'key attack' }), 'attack', el('span', { class: 'key doc' }), 'document'),
    el('span', {}, isoDay(hi - pad - DAY)));
  return el('figure', { class: 'strip-figure' }, svg, axis, clear);
}

// ---- The tempo chart

// tempoSection counts the attacks the filters select per day, week or
// month, with Ramadan's days shaded and the changes of rate marked, and
// writes out the Ramadan rate ratio and, with around=DATE in the hash, the
// rate after that day against before.
export function tempoSection(filters, by, params, signal) {
  const box = el('div', { class: 'tempo-body' });
  const around = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(params.get('around') || '') ? params.get('around') : '';
  const days = /^[0-9]{1,4}$/.test(params.get('window') || '') ? params.get('window') : '';
  loading(box, 'Counting attacks over time…', async (s) => {
    const q = { ...filters, by, around, window: days };
    // The server answers the counts without the Ramadan ratio, and says
    // why, when the attacks cannot estimate it.
    const t = await api('tempo', { ...q, ramadan: 1 }, s);
    const note = t.ramadan_note ? t.ramadan_note.charAt(0).toUpperCase() + t.ramadan_note.slice(1) : null;
    if (!t.bins.length) return [el('p', { class: 'empty' }, 'No attack with a date to count.')];
    return [tempoChart(t), tempoWords(t), note ? el('p', { class: 'hint' }, note) : null];
  }, signal);
  const links = ['day', 'week', 'month'].map((b) => (b === by
    ? el('strong', { 'aria-current': 'true' }, b)
    : el('a', { href: pageHash('/incidents', { ...Object.fromEntries(params), by: b === 'month' ? '' : b }) }, b)));
  return el('section', { class: 'block tempo', 'aria-labelledby': 'tempo-title' },
    el('h2', { id: 'tempo-title' }, 'Tempo'),
    el('p', { class: 'hint' }, 'Attacks per ', links.flatMap((l, i) => (i ? [' · ', l] : [l])),
      '. Ramadan shaded; a dashed line where the rate changed (PELT), the rate of each stretch drawn across it.'),
    box);
}

// fmt writes a figure of the tempo answer: whole numbers as they are,
// others to two decimals, and JSON's strings for infinity as ∞.
function fmt(v) {
  if (typeof v !== 'number') return v === '+Inf' ? '∞' : v === '-Inf' ? '−∞' : String(v);
  if (Number.isInteger(v)) return count(v);
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}

function tempoChart(t) {
  const bins = t.bins;
  const lo = dayOf(bins[0].start);
  const last = bins[bins.length - 1];
  const hi = dayOf(last.start) + last.days * DAY;
  const x = (ms) => ((ms - lo) / (hi - lo)) * W;
  const CH = 120;
  const top = Math.max(1, ...bins.map((b) => b.count));
  const y = (v) => CH - (v / top) * (CH - 8);
  const shade = (t.ramadan?.windows || []).map(([a, b]) => {
    const l = Math.max(lo, dayOf(a));
    const r = Math.min(hi, dayOf(b) + DAY);
    return r > l ? svgEl('rect', { class: 'ramadan', x: x(l), y: 0, width: x(r) - x(l), height: CH },
      svgEl('title', {}, `Ramadan ${a} to ${b}`)) : null;
  });
  const bars = bins.map((b) => {
    const l = x(dayOf(b.start));
    const w = (b.days * DAY / (hi - lo)) * W;
    return svgEl('g', { class: 'bin' },
      svgEl('title', {}, `${b.start}: ${plural(b.count, 'attack', 'attacks')}`),
      svgEl('rect', {
        class: 'bar', x: l + Math.min(1, w * 0.1), y: y(b.count), width: Math.max(0.5, w - Math.min(2, w * 0.2)),
        height: CH - y(b.count), 'data-start': b.start, 'data-count': b.count,
      }));
  });
  // Each segment's rate per day, as the count a bin of its days expects.
  const rates = (t.segments || []).map((sg) => {
    const inSeg = bins.filter((b) => b.start >= sg.from && b.start <= sg.to);
    return inSeg.map((b) => {
      const l = x(dayOf(b.start));
      const r = x(dayOf(b.start) + b.days * DAY);
      return `M${l},${y(sg.per_day * b.days)}H${r}`;
    }).join('');
  }).filter(Boolean);
  const changes = (t.changes || []).map((c) => svgEl('line', { class: 'change', x1: x(dayOf(c)), x2: x(dayOf(c)), y1: 0, y2: CH, 'data-day': c },
    svgEl('title', {}, `the rate changed at ${c}`)));
  const svg = svgEl('svg', {
    class: 'tempo-chart', viewBox: `0 0 ${W} ${CH}`, preserveAspectRatio: 'none', width: '100%', height: CH, role: 'img',
    'aria-label': `Attacks per ${t.by}, ${t.from} to ${t.to}: ${count(t.counted)} counted, at most ${top} in a ${t.by}; ${plural((t.changes || []).length, 'change', 'changes')} of rate`,
  }, shade, bars, rates.length ? svgEl('path', { class: 'rate', d: rates.join('') }) : null, changes);
  return el('figure', { class: 'tempo-figure' },
    el('div', { class: 'scale' }, `${top} a ${t.by} at most`),
    svg,
    el('figcaption', { class: 'axis' }, el('span', {}, t.from), el('span', {}, t.to)));
}

function tempoWords(t) {
  const lines = [];
  lines.push(`${plural(t.counted, 'attack', 'attacks')} counted per ${t.by} from ${t.from} to ${t.to}` +
    (t.excluded ? `; ${count(t.excluded)} left out by the rule` : '') +
    (t.imprecise ? `; ${count(t.imprecise)} dated less precisely than a ${t.by}, not counted` : '') + '.');
  if ((t.segments || []).length) {
    lines.push(el('span', { class: 'segments' }, (t.changes || []).length
      ? `The rate changed at ${t.changes.join(', ')}: ` : 'One rate throughout: ',
    t.segments.map((sg) => `${sg.from} to ${sg.to} ${fmt(sg.per_day * 30)} a month (${plural(sg.count, 'attack', 'attacks')} in ${count(sg.days)} days)`).join('; '), '.'));
  }
  const r = t.ramadan;
  if (r) {
    lines.push(el('span', { class: 'ramadan-irr' },
      `Ramadan: rate ratio ${fmt(r.irr)} (${Math.round(r.level * 100)}% interval ${fmt(r.lower)} to ${fmt(r.upper)}), `,
      `${fmt(r.in_events)} attacks in ${count(r.in_days)} days of Ramadan against ${fmt(r.out_events)} in ${count(r.out_days)} other days`,
      r.scaled ? `; widened for overdispersion (${fmt(r.dispersion)})` : '', r.controls ? `; ${r.controls}` : '', '.'));
  }
  const a = t.around;
  if (a) {
    lines.push(el('span', { class: 'around' },
      `${a.window_days} days from ${a.at} against the ${a.window_days} before: ${count(a.after)} attacks after, ${count(a.before)} before; `,
      `ratio ${fmt(a.ratio)} (${Math.round(a.level * 100)}% interval ${fmt(a.lower)} to ${fmt(a.upper)}, ${a.method}).`));
  }
  return el('ul', { class: 'tempo-words' }, lines.map((l) => el('li', {}, l)));
}
