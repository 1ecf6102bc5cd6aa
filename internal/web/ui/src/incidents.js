// The incident dashboard (#/incidents) and one attack (#/incident/ID):
// the attacks the filters select, as GET /api/v1/incidents merges them,
// with their tempo (tempo.js's chart of GET /api/v1/tempo) and the
// timeline strip whose brushed range is the filters' since and until.
// The filters live in the hash, so the map (map.js) reads the same ones.

import {
  el, api, send, pageHash, plural, count, mayDeal, entityLink, remember, badge, fact, hashOf,
} from './app.js';
import { view } from './views.js';
import { tempoSection, timelineSection } from './timeline.js';
import './incidents.css';

// FILTERS are the hash parameters the dashboard, the map and the timeline
// share, named as the API names them.
export const FILTERS = ['since', 'until', 'where', 'group', 'country', 'attribution', 'rule'];

const ATTRIBUTIONS = ['directed', 'enabled', 'inspired', 'branch', 'unknown'];
const PAGE = 100;

// filtersOf reads the shared filters from the hash's parameters.
export function filtersOf(params) {
  const f = {};
  for (const k of FILTERS) {
    const v = (params.get(k) || '').trim();
    if (v) f[k] = v;
  }
  return f;
}

// allAttacks reads every attack the filters select, a page of 1,000 at a
// time, up to max; more says whether some were left.
export async function allAttacks(filters, signal, max = 5000) {
  const out = [];
  let cursor = '';
  let total = 0;
  do {
    const r = await api('incidents', { ...filters, limit: 1000, cursor }, signal);
    out.push(...r.incidents);
    total = r.total;
    cursor = r.next;
  } while (cursor && out.length < max);
  return { attacks: out, total, more: out.length < total };
}

// The words for an attack's parts; a field the sources do not give is
// left out, never shown as zero.
export const known = (v) => v !== null && v !== undefined && v !== '';
export const placeOf = (a) => [a.city, a.province, a.country?.name].filter(Boolean).join(', ');
export const typeOf = (a) => (a.attack_types || []).map((t) => t.name || `type ${t.id}`).join(', ');
export const attackTitle = (a) => `${typeOf(a) || 'Attack'}${placeOf(a) ? ` in ${placeOf(a)}` : ''}${a.date ? `, ${a.date}` : ''}`;
const attackers = (a) => uniq((a.actors || []).filter((x) => x.role === 'attacker').map((x) => x.name));
const groupOf = (a) => a.attributed_to || (a.perpetrators || []).find((p) => p && p !== 'Unknown') || '';
const uniq = (xs) => [...new Set(xs)];

// attackHash opens an attack, keeping the filters, which place it in their series.
export const attackHash = (id, filters) => pageHash(`/incident/${id}`, filters);

function attribution(a) {
  if (!a.attribution) return '';
  const g = groupOf(a);
  return a.attribution === 'unknown' ? 'unknown' : `${a.attribution}${g ? ` by ${g}` : ''}`;
}

function casualties(a) {
  const k = known(a.killed) ? count(a.killed) : '?';
  const w = known(a.wounded) ? count(a.wounded) : '?';
  return `${k} / ${w}`;
}

// filterForm edits the filters in the hash of path.
export function filterForm(path, filters, extra, around) {
  const input = (name, label, attrs) => el('label', { class: 'filter' }, el('span', {}, label),
    el('input', { name, value: filters[name] || '', autocomplete: 'off', spellcheck: 'false', ...attrs }));
  const select = (name, label, options) => el('label', { class: 'filter' }, el('span', {}, label),
    el('select', { name }, options.map(([v, t]) => el('option', { value: v, selected: (filters[name] || '') === v }, t))));
  const form = el('form', { class: 'incident-filters', 'aria-label': 'Filter the attacks' },
    input('since', 'Since', { placeholder: 'YYYY-MM-DD', pattern: '[0-9]{4}(-[0-9]{2}){0,2}', size: 10 }),
    input('until', 'Until', { placeholder: 'YYYY-MM-DD', pattern: '[0-9]{4}(-[0-9]{2}){0,2}', size: 10 }),
    input('where', 'Where', { placeholder: 'city or country' }),
    input('group', 'Group', { placeholder: 'by any of its names' }),
    select('attribution', 'Attribution', [['', 'any'], ...ATTRIBUTIONS.map((a) => [a, a])]),
    select('rule', 'Rule', [['', 'all'], ['strict', 'strict (GTD criteria, no doubt)']]),
    around !== undefined ? input('around', 'Before/after', { placeholder: 'YYYY-MM-DD', pattern: '[0-9]{4}-[0-9]{2}-[0-9]{2}', size: 10, value: around }) : null,
    el('button', { type: 'submit' }, 'Apply'),
    Object.keys(filters).length ? el('a', { class: 'clear', href: pageHash(path, extra) }, 'Clear') : null);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = { ...extra };
    for (const [k, v] of new FormData(form)) if (String(v).trim()) f[k] = String(v).trim();
    location.hash = pageHash(path, f);
  });
  return form;
}

// filterWords says in words what the filters select.
function filterWords(f) {
  const w = [];
  if (f.where) w.push(`in ${f.where}`);
  if (f.group) w.push(`by ${f.group}`);
  if (f.country) w.push(`in country ${f.country}`);
  if (f.attribution) w.push(`attribution ${f.attribution}`);
  if (f.since) w.push(`since ${f.since}`);
  if (f.until) w.push(`until ${f.until}`);
  if (f.rule === 'strict') w.push('(rule strict)');
  return w.join(' ');
}

function attackRow(a, filters) {
  const n = (a.sources || []).length;
  return el('tr', { 'data-incident': a.id },
    el('td', { class: 'num date' }, a.date || a.approx_date || '?'),
    el('td', {}, el('a', { href: attackHash(a.id, filters) }, placeOf(a) || '(place unknown)')),
    el('td', {}, typeOf(a) || '?'),
    el('td', {}, [...attackers(a), groupOf(a)].filter(Boolean).join('; ') || '?'),
    el('td', { class: 'num', title: 'killed / wounded (? where the sources do not say)' }, casualties(a)),
    el('td', {}, a.attribution ? badge(`attr attr-${a.attribution}`, attribution(a)) : '?'),
    el('td', { class: 'num', title: (a.sources || []).map((s) => s.name).join(', ') }, count(n)));
}

function attackTable(attacks, filters) {
  return el('table', { class: 'docs attacks' },
    el('caption', { class: 'visually-hidden' }, 'Attacks, oldest first'),
    el('thead', {}, el('tr', {},
      ['Date', 'Place', 'Attack', 'Attackers / group', 'Killed / wounded', 'Attribution', 'Sources'].map((h, i) =>
        el('th', { scope: 'col', class: [0, 4, 6].includes(i) ? 'num' : null }, h)))),
    el('tbody', {}, attacks.map((a) => attackRow(a, filters))));
}

async function dashboard(match, params, signal) {
  const filters = filtersOf(params);
  const by = ['day', 'week', 'month'].includes(params.get('by')) ? params.get('by') : 'month';
  const keep = { ...filters, by: by === 'month' ? '' : by, around: params.get('around') || '' };
  const r = await api('incidents', { ...filters, limit: PAGE }, signal);
  const listBox = el('div', { class: 'attack-list' });
  const more = (next) => (next ? el('button', {
    type: 'button', class: 'more',
    onclick: async (e) => {
      e.target.disabled = true;
      const page = await api('incidents', { ...filters, limit: PAGE, cursor: next }, signal).catch((err) => {
        if (!signal.aborted) e.target.after(el('span', { class: 'error' }, ` ${err.message}`));
        return null;
      });
      if (!page || signal.aborted) return;
      listBox.querySelector('tbody').append(...page.incidents.map((a) => attackRow(a, filters)));
      e.target.replaceWith(more(page.next) || '');
    },
  }, 'Show more') : null);
  if (r.incidents.length) listBox.append(attackTable(r.incidents, filters), more(r.next) || '');
  else listBox.append(el('p', { class: 'empty' }, 'No attacks match.'));
  const words = filterWords(filters);
  document.title = 'Incidents · Mosaic';
  return {
    nodes: [
      el('div', { class: 'view-head' },
        el('h1', { tabindex: '-1' }, 'Incidents'),
        el('span', { class: 'for' }, el('span', { class: 'attack-count', 'data-total': r.total }, plural(r.total, 'attack', 'attacks')),
          words ? ` ${words}` : '', ' · ', el('a', { href: pageHash('/map', filters) }, 'on the map'))),
      filterForm('/incidents', filters, by === 'month' ? {} : { by }, params.get('around') || ''),
      timelineSection('/incidents', filters, keep, signal),
      tempoSection(filters, by, params, signal),
      el('section', { class: 'block', 'aria-labelledby': 'attacks-title' },
        el('h2', { id: 'attacks-title' }, 'Attacks'),
        el('p', { class: 'hint' }, 'Records of one attack from several sources (a GTD row, reports, interviews) are merged; open one for each field\'s sentence and why its records were joined.'),
        listBox),
    ],
    status: `${plural(r.total, 'attack', 'attacks')}${words ? ` ${words}` : ''}`,
  };
}

// ---- One attack

const FIELD = {
  date: 'Date', place: 'Place', attack_type: 'Attack type', weapon: 'Weapon', target: 'Target',
  killed: 'Killed', wounded: 'Wounded', perpetrator: 'Attacker or group', claim: 'Claim',
  attribution: 'Attribution', summary: 'Summary',
};

// docLink opens a document; its ID, a long digest, is cut short.
function docLink(id, cls) {
  const s = String(id);
  return el('a', { class: cls, href: hashOf({ doc: s }), title: `document ${s}` }, `document ${s.length > 12 ? `${s.slice(0, 10)}…` : s}`);
}

function evidenceItem(ev) {
  return el('li', { class: 'ev' },
    el('div', { class: 'ev-head' },
      el('strong', {}, FIELD[ev.field] || ev.field), ' ',
      el('span', { class: 'value' }, ev.value || ''), ' ',
      badge('conf', `confidence ${Number(ev.confidence || 0).toFixed(2)}`, 'how likely the reading is right')),
    el('blockquote', { class: 'quote' }, ev.quote || el('span', { class: 'empty' }, 'The sentence could not be quoted.')),
    ev.doc ? el('div', { class: 'meta' }, docLink(ev.doc, 'ev-doc')) : null);
}

function sourceItem(s) {
  return el('li', {}, s.name || 'source', s.row ? ` row ${s.row}` : '',
    s.doc ? [' · ', docLink(s.doc)] : null);
}

function actorItem(x) {
  if (x.entity) remember(x.entity, x.name, x.kind);
  return el('li', {}, el('span', { class: 'role' }, x.role), ' ',
    x.entity ? entityLink(x.entity) : el('span', {}, x.name),
    x.doc ? [' in ', docLink(x.doc)] : null);
}

const yesNo = (v) => (known(v) ? (v ? 'yes' : 'no') : 'unknown');
const codes = (cs) => (cs || []).map((c) => c.name || `code ${c.id}`).join(', ');

// rulingForm asks the server to take two records as one attack or two,
// for the analyst's agency only.
function rulingForm(a) {
  const other = el('input', { id: 'rule-other', name: 'other', inputmode: 'numeric', pattern: '[0-9]+', size: 8, required: true });
  const reason = el('input', { id: 'rule-reason', name: 'reason', maxlength: 1000, placeholder: 'why (kept in the audit log)' });
  const said = el('p', { class: 'said', role: 'status' });
  const rule = async (verb) => {
    const b = other.value.trim();
    if (!/^[0-9]+$/.test(b)) {
      said.textContent = 'Give the number of the other incident.';
      return;
    }
    try {
      await send(`incidents/${a.id}/${verb}/${b}`, { reason: reason.value.trim() });
      said.textContent = `Ruled: incidents ${a.id} and ${b} are ${verb === 'same' ? 'one attack' : 'different attacks'}.`;
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (err) {
      said.textContent = err.message;
    }
  };
  const form = el('form', { class: 'ruling', 'aria-label': 'Rule on a pair of incidents' },
    el('label', { for: 'rule-other' }, `Incident ${a.id} and incident `), other,
    el('label', { for: 'rule-reason', class: 'visually-hidden' }, 'Reason'), reason,
    el('button', { type: 'button', class: 'same', onclick: () => rule('same') }, 'Same attack'),
    el('button', { type: 'button', class: 'different', onclick: () => rule('different') }, 'Different attacks'),
    said);
  form.addEventListener('submit', (e) => { e.preventDefault(); rule('same'); });
  return form;
}

// nearbySection lists the other attacks within a week of this one, each
// with the rulings that would join it to this one or keep it apart: the
// records a merge may have missed or wrongly joined are usually close in
// time.
function nearbySection(a, signal) {
  const box = el('div', { class: 'nearby' });
  const day = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(a.date || '') ? Date.parse(a.date) : NaN;
  if (Number.isNaN(day)) return null;
  const iso = (t) => new Date(t).toISOString().slice(0, 10);
  api('incidents', { since: iso(day - 7 * 86400000), until: iso(day + 7 * 86400000), limit: 50 }, signal).then((r) => {
    // app.js's answer() gives null for a body whose read was aborted.
    if (!r || signal.aborted) return;
    const others = r.incidents.filter((o) => o.id !== a.id);
    if (!others.length) {
      box.append(el('p', { class: 'empty' }, 'No other attack within a week.'));
      return;
    }
    box.append(el('ul', { class: 'nearby-list' }, others.map((o) => el('li', { 'data-incident': o.id },
      el('a', { href: attackHash(o.id, {}) }, attackTitle(o)),
      [...attackers(o), groupOf(o)].filter(Boolean).length ? ` (${[...attackers(o), groupOf(o)].filter(Boolean).join('; ')})` : '',
      mayDeal() ? [' ',
        el('button', { type: 'button', class: 'same', onclick: (e) => ruleOn(e.target, a.id, o.id, 'same') }, 'Same attack'), ' ',
        el('button', { type: 'button', class: 'different', onclick: (e) => ruleOn(e.target, a.id, o.id, 'different') }, 'Different')] : null))));
  }, (err) => {
    if (err.name !== 'AbortError') box.append(el('p', { class: 'error' }, err.message));
  });
  return el('section', { class: 'block', 'aria-labelledby': 'nearby-title' },
    el('h2', { id: 'nearby-title' }, 'Other attacks within a week'), box);
}

// ruleOn records an analyst's ruling on two incidents and shows the
// attack again as the ruling makes it.
async function ruleOn(button, a, b, verb) {
  button.disabled = true;
  try {
    await send(`incidents/${a}/${verb}/${b}`, {});
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } catch (err) {
    button.disabled = false;
    button.after(el('span', { class: 'error' }, ` ${err.message}`));
  }
}

function linkItem(l) {
  return el('li', { class: 'link' },
    el('span', { class: 'pair' }, `incidents ${l.a} and ${l.b}`), ' ',
    l.ruling ? badge('ruling', 'analyst\'s ruling') : badge('score', `score ${Number(l.score).toFixed(2)}`), ' ',
    el('span', { class: 'why' }, l.why || ''),
    mayDeal() ? el('button', { type: 'button', class: 'split', onclick: (e) => ruleOn(e.target, l.a, l.b, 'different') }, 'Not the same') : null);
}

async function attackView(match, params, signal) {
  const id = match[1];
  const filters = filtersOf(params);
  let r;
  let note = null;
  try {
    r = await api(`incidents/${id}`, { ...filters, ordinal: 1 }, signal);
  } catch (err) {
    if (err.name === 'AbortError' || !Object.keys(filters).length) throw err;
    // The filters leave this attack out of their series: place it in all.
    note = err.message;
    r = await api(`incidents/${id}`, { ordinal: 1 }, signal);
  }
  const a = r.incident;
  const pos = r.position;
  const ev = a.evidence || [];
  const latlon = known(a.latitude) && known(a.longitude) ? `${a.latitude.toFixed(4)}, ${a.longitude.toFixed(4)}` : '';
  document.title = `${attackTitle(a)} · Mosaic`;
  return {
    nodes: [
      el('div', { class: 'view-head' },
        el('h1', { tabindex: '-1' }, attackTitle(a)),
        el('span', { class: 'for' }, el('a', { href: pageHash('/incidents', filters) }, 'all attacks'),
          latlon ? [' · ', el('a', { href: pageHash('/map', { ...filters, at: a.id }) }, 'on the map')] : null)),
      pos ? el('p', { class: 'ordinal' }, pos.text.charAt(0).toUpperCase() + pos.text.slice(1) + '.') : null,
      note ? el('p', { class: 'hint' }, `Counted among all attacks: ${note}`) : null,
      el('dl', { class: 'facts attack-facts' },
        fact('Date', a.date || 'unknown'),
        a.approx_date ? fact('Date as written', a.approx_date) : null,
        fact('Place', placeOf(a) || 'unknown'),
        latlon ? fact('Coordinates', latlon) : null,
        a.region?.name ? fact('Region', a.region.name) : null,
        fact('Attack type', typeOf(a) || 'unknown'),
        a.weapon_types ? fact('Weapon', codes(a.weapon_types)) : null,
        a.target_types ? fact('Target', codes(a.target_types)) : null,
        fact('Group', (a.perpetrators || []).join(', ') || 'unknown'),
        fact('Attackers', attackers(a).join(', ') || 'unknown'),
        fact('Killed', known(a.killed) ? count(a.killed) : 'unknown'),
        fact('Wounded', known(a.wounded) ? count(a.wounded) : 'unknown'),
        fact('Claimed', yesNo(a.claimed)),
        fact('Attribution', attribution(a) || 'unknown'),
        fact('Doubt it was terrorism', yesNo(a.doubt)),
        fact('GTD criteria 1 / 2 / 3', [a.crit1, a.crit2, a.crit3].map(yesNo).join(' / ')),
        a.event_id ? fact('GTD event', a.event_id) : null,
        fact('Records', (a.members || [a.id]).join(', '))),
      a.summary ? el('p', { class: 'summary' }, a.summary) : null,
      el('section', { class: 'block evidence-block', 'aria-labelledby': 'ev-title' },
        el('h2', { id: 'ev-title' }, 'Evidence'),
        ev.length ? el('ul', { class: 'evidence attack-evidence' }, ev.map(evidenceItem))
          : el('p', { class: 'empty' }, 'No field was read from a sentence (a table row only).')),
      el('section', { class: 'block', 'aria-labelledby': 'who-title' },
        el('h2', { id: 'who-title' }, 'People and groups'),
        (a.actors || []).length ? el('ul', { class: 'actors-list' }, a.actors.map(actorItem)) : el('p', { class: 'empty' }, 'None named.')),
      el('section', { class: 'block', 'aria-labelledby': 'src-title' },
        el('h2', { id: 'src-title' }, plural((a.sources || []).length, 'source', 'sources')),
        el('ul', { class: 'sources' }, (a.sources || []).map(sourceItem))),
      el('section', { class: 'block merge', 'aria-labelledby': 'merge-title' },
        el('h2', { id: 'merge-title' }, 'Why these records are one attack'),
        (a.links || []).length ? el('ul', { class: 'links' }, a.links.map(linkItem))
          : el('p', { class: 'empty' }, 'One record: nothing was merged.'),
        mayDeal() ? rulingForm(a) : el('p', { class: 'hint' }, 'Analysts may rule two records the same attack or different ones.')),
      nearbySection(a, signal),
    ],
    status: `${attackTitle(a)}${pos ? `; ${pos.text}` : ''}`,
  };
}

view(/^\/incidents$/, dashboard);
view(/^\/incident\/([0-9]{1,18})$/, attackView);
