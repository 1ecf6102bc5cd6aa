// The chart's timeline (i2's "timeline of the chart"): a lane for each
// entity on the link chart, with a mark at each date its links are stated
// and at each attack it took part in. Dragging across the lanes keeps the
// links stated in that span on the chart, as the histogram's brush does;
// a link carries the span to the map of incidents.
//
// chart is link chart (chart.js): its graph, evidence cache, filters,
// range and setRange; drawLanes is called on every refresh.

import { el, svgEl, pageHash, plural, count } from './app.js';
import { allAttacks } from './incidents.js';
import { dayOf, isoDay } from './timeline.js';
import './chart-timeline.css';

const DAY = 86400000;
const MAX_LANES = 40;
const W = 1000; // the SVG's width in its own units
const LABEL = 180; // the lane labels' column, in the same units
const LANE = 18;
const AXIS = 18;

// attacksOf keeps, per chart, the attacks of the case by the entities
// that took part (IncidentActor.entity), read once.
const attacksOf = new WeakMap();

function attacksByEntity(chart) {
  if (!attacksOf.has(chart)) {
    const byEntity = new Map();
    const entry = { byEntity, ready: false, failed: false };
    attacksOf.set(chart, entry);
    allAttacks({}, chart.signal).then(({ attacks }) => {
      for (const a of attacks) {
        const t = dayOf(a.date);
        if (Number.isNaN(t)) continue;
        for (const x of a.actors || []) {
          if (!x.entity) continue;
          const id = String(x.entity);
          if (!byEntity.has(id)) byEntity.set(id, []);
          byEntity.get(id).push({ t, attack: a, role: x.role });
        }
      }
      entry.ready = true;
      if (!chart.signal.aborted) chart.refresh();
    }, () => {
      // No incidents to read (an older server, or none allowed): the
      // lanes show the links' dates alone.
      entry.failed = true;
    });
  }
  return attacksOf.get(chart);
}

// marksOf gathers each shown entity's dated marks: one per day, other end
// and relation type of the evidence, and one per attack.
function marksOf(chart, attacks) {
  const g = chart.graph;
  const lanes = new Map();
  const add = (n, m) => {
    if (!lanes.has(n)) lanes.set(n, new Map());
    lanes.get(n).set(m.key, m);
  };
  // Every date the other filters keep, so that the brush sits over them.
  g.forEachEdge((e, a, s, t) => {
    if (!chart.visibleEdge(e, true)) return;
    const evidence = chart.evidence.get(e);
    const dated = evidence?.length
      ? evidence.filter((ev) => ev.date && !ev.negated).map((ev) => ({ t: Date.parse(ev.date), type: ev.type }))
      : a.dates.map((d) => ({ t: d, type: a.types[0] }));
    for (const { t: when, type } of dated) {
      if (Number.isNaN(when)) continue;
      const day = Math.floor(when / DAY) * DAY;
      for (const [n, other] of [[s, t], [t, s]]) {
        add(n, { key: `${day}|${type}|${other}`, t: day, type, other, edge: e });
      }
    }
  });
  g.forEachNode((n) => {
    if (!chart.visibleNode(n)) return;
    for (const x of attacks.get(n) || []) add(n, { key: `attack|${x.attack.id}`, t: x.t, attack: x.attack, role: x.role });
  });
  return lanes;
}

// drawLanes fills box with the chart's timeline.
export function drawLanes(chart, box) {
  const attacks = attacksByEntity(chart);
  const lanes = marksOf(chart, attacks.byEntity);
  const head = el('div', { class: 'chart-dates-head' }, el('strong', {}, 'Timeline of the entities on the chart'));
  if (!lanes.size) {
    const pending = chart.graph.size > chart.evidence.size;
    box.replaceChildren(head, el('p', { class: 'hint' }, pending ? 'Reading the links’ dates…' : 'No dated link or attack for the entities on the chart.'));
    return;
  }
  const g = chart.graph;
  const name = (n) => g.getNodeAttribute(n, 'label');
  // The busiest lanes first, then by first date: who was active when.
  const order = [...lanes.entries()].map(([n, m]) => {
    const ts = [...m.values()].map((x) => x.t);
    return { n, marks: [...m.values()], first: Math.min(...ts), size: m.size };
  }).sort((x, y) => y.size - x.size || x.first - y.first || name(x.n).localeCompare(name(y.n)));
  const shown = order.slice(0, MAX_LANES).sort((x, y) => x.first - y.first || name(x.n).localeCompare(name(y.n)));
  const all = shown.flatMap((l) => l.marks.map((m) => m.t));
  let lo = Math.min(...all);
  let hi = Math.max(...all) + DAY;
  const pad = Math.max(DAY, (hi - lo) * 0.02);
  lo -= pad;
  hi += pad;
  const x = (t) => LABEL + ((t - lo) / (hi - lo)) * (W - LABEL);
  const tOf = (px) => lo + ((px - LABEL) / (W - LABEL)) * (hi - lo);
  const H = AXIS + shown.length * LANE;

  const ticks = [];
  const years = new Date(hi).getUTCFullYear() - new Date(lo).getUTCFullYear();
  for (let t = Date.UTC(new Date(lo).getUTCFullYear(), new Date(lo).getUTCMonth() + 1, 1); t < hi;) {
    const d = new Date(t);
    const first = d.getUTCMonth() === 0;
    if (years < 3 || first) {
      ticks.push(svgEl('line', { class: first ? 'tick year' : 'tick', x1: x(t), x2: x(t), y1: AXIS - 4, y2: H }));
      if (first || years < 1) ticks.push(svgEl('text', { class: 'tick-label', x: x(t) + 2, y: AXIS - 6 }, first ? String(d.getUTCFullYear()) : isoDay(t).slice(0, 7)));
    }
    t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  const colour = (type) => chart.relationColour(type);
  const rows = shown.map((l, i) => {
    const y = AXIS + i * LANE + LANE / 2;
    const label = svgEl('text', { class: 'lane-label', x: LABEL - 6, y: y + 4, 'data-node': l.n }, name(l.n));
    label.addEventListener('click', () => chart.showNode(l.n));
    const marks = l.marks.map((m) => {
      if (m.attack) {
        return svgEl('path', { class: 'lane-attack', d: `M${x(m.t)},${y - 6}l5,6l-5,6l-5,-6z`, 'data-day': isoDay(m.t) },
          svgEl('title', {}, `${isoDay(m.t)}: attack${m.attack.city ? ` in ${m.attack.city}` : ''} (${m.role})`));
      }
      const c = svgEl('circle', { class: 'lane-mark', cx: x(m.t), cy: y, r: 3.5, 'data-day': isoDay(m.t) },
        svgEl('title', {}, `${isoDay(m.t)}: ${m.type} with ${g.hasNode(m.other) ? name(m.other) : m.other}`));
      c.style.setProperty('fill', colour(m.type));
      c.addEventListener('click', () => chart.showEdge(m.edge));
      return c;
    });
    return svgEl('g', { class: 'lane', 'data-node': l.n },
      svgEl('line', { class: 'lane-line', x1: LABEL, x2: W, y1: y, y2: y }), label, marks);
  });
  const sel = svgEl('rect', { class: 'brush', y: AXIS - 4, height: H - AXIS + 4, x: 0, width: 0, visibility: 'hidden' });
  const showSel = (a, b) => {
    const l = Math.max(LABEL, Math.min(a, b));
    const r = Math.min(W, Math.max(a, b));
    sel.setAttribute('x', l);
    sel.setAttribute('width', Math.max(0, r - l));
    sel.setAttribute('visibility', r > l ? 'visible' : 'hidden');
  };
  if (chart.range) showSel(x(chart.range[0]), x(chart.range[1]));
  const svg = svgEl('svg', {
    class: 'lanes', viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img',
    'aria-label': `${plural(shown.length, 'entity', 'entities')} in time from ${isoDay(lo + pad)} to ${isoDay(hi - pad - DAY)}; drag across to keep that span on the chart`,
  }, svgEl('rect', { class: 'bg', x: LABEL, y: AXIS - 4, width: W - LABEL, height: H - AXIS + 4 }), ticks, rows, sel);
  let from = null;
  const at = (ev) => {
    const b = svg.getBoundingClientRect();
    return Math.max(LABEL, Math.min(W, ((ev.clientX - b.left) / b.width) * W));
  };
  svg.addEventListener('pointerdown', (ev) => {
    if (ev.target.closest('.lane-label, .lane-mark')) return;
    from = at(ev);
    svg.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => { if (from !== null) showSel(from, at(ev)); });
  svg.addEventListener('pointerup', (ev) => {
    if (from === null) return;
    const to = at(ev);
    const [l, r] = [Math.min(from, to), Math.max(from, to)];
    from = null;
    if (r - l < 3) return;
    // Whole days: the span from the first day touched to the end of the last.
    const a = Math.floor(tOf(l) / DAY) * DAY;
    const b = Math.floor(tOf(r) / DAY) * DAY + DAY - 1;
    chart.setRange(a, b);
  });
  const more = order.length - shown.length;
  const foot = el('p', { class: 'hint lanes-foot' },
    'Dots: links stated that day (colour: relation; click for the sentences); diamonds: attacks the entity took part in. ',
    more ? `The ${count(shown.length)} entities with the most dated marks of ${count(order.length)}. ` : '',
    chart.range
      ? el('a', { href: pageHash('/map', { since: isoDay(chart.range[0]), until: isoDay(chart.range[1]) }), class: 'lanes-map' }, 'These dates on the map')
      : null,
    !attacks.ready && !attacks.failed ? ' Reading the attacks…' : '');
  box.replaceChildren(head, svg, foot);
}
