// Mosaic's first page: search, collections, and a document reader with every
// mention marked. Plain JavaScript, no build step, nothing fetched from
// anywhere but this server.
//
// Documents are hostile: every piece of their content reaches the DOM as a
// text node (el(), append(string), textContent), never as HTML.
//
// The page's state lives in location.hash, so back, forward and links work:
//   #search=QUERY[&offset=N]      search results
//   #collection=NAME[&offset=N]   a collection's documents
//   #doc=ID                       one document
//   (empty)                       all documents

'use strict';

const SEARCH_PAGE = 20;
const LIST_PAGE = 50;

// The mention types in the order the reader lists them, with their names.
const TYPES = [
  ['PERSON', 'Person'],
  ['ORG', 'Organisation'],
  ['LOCATION', 'Location'],
  ['DATE', 'Date'],
  ['MISC', 'Miscellaneous'],
  ['EMAIL', 'E-mail'],
  ['PHONE', 'Phone'],
  ['URL', 'URL'],
  ['IP', 'IP address'],
];
const TYPE_NAME = new Map(TYPES);

const $ = (sel) => document.querySelector(sel);

// el builds an element. Children that are strings become text nodes, which
// is what keeps document content inert.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c);
  }
  return e;
}

// hashOf builds a location hash from parameters, dropping empty ones.
function hashOf(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && !(k === 'offset' && !v)) p.set(k, v);
  }
  const s = p.toString();
  return s ? '#' + s : '#';
}

// ---- Talking to the server

async function api(path, params, signal) {
  const url = new URL('api/v1/' + path, document.baseURI);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  let body = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: fall through to the status line
  }
  if (!res.ok) {
    throw new Error(body && body.error ? body.error : `${res.status} ${res.statusText}`);
  }
  return body;
}

// ---- Byte offsets

// utf16At returns a function mapping a UTF-8 byte offset into text to the
// UTF-16 index JavaScript strings use, or -1 for an offset that is out of
// range or falls inside a character. The server counts bytes (Go strings are
// UTF-8); "é" is 2 bytes but 1 index, an Arabic letter 2 bytes but 1 index,
// an emoji 4 bytes but 2 indices.
function utf16At(text) {
  const n = new TextEncoder().encode(text).length;
  const map = new Int32Array(n + 1).fill(-1);
  let b = 0;
  let u = 0;
  for (const ch of text) {
    map[b] = u;
    const cp = ch.codePointAt(0);
    b += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    u += ch.length;
  }
  map[b] = u;
  return (byte) => (Number.isInteger(byte) && byte >= 0 && byte <= n ? map[byte] : -1);
}

// markUp appends text to container with items wrapped in the elements make
// returns. Items carry UTF-16 start and end; they must be sorted by start,
// longest first. An item inside another nests in it; one that crosses
// another's boundary is left out. It returns the items drawn with their
// elements.
function markUp(container, text, items, make) {
  const stack = [{ node: container, end: text.length }];
  const drawn = [];
  let pos = 0;
  const put = (node, upto) => {
    if (upto > pos) {
      node.append(text.slice(pos, upto));
      pos = upto;
    }
  };
  for (const it of items) {
    if (!(it.start >= 0 && it.end > it.start && it.end <= text.length)) continue;
    while (stack.length > 1 && stack[stack.length - 1].end <= it.start) {
      const done = stack.pop();
      put(done.node, done.end);
    }
    const top = stack[stack.length - 1];
    if (it.start < pos || it.end > top.end) continue;
    put(top.node, it.start);
    const node = make(it);
    top.node.append(node);
    stack.push({ node, end: it.end });
    drawn.push({ item: it, node });
  }
  while (stack.length > 1) {
    const done = stack.pop();
    put(done.node, done.end);
  }
  put(container, text.length);
  return drawn;
}

// ---- Formatting

function dateOf(s) {
  // Go's zero time ("0001-01-01T00:00:00Z") means the date is unknown.
  if (!s || s.startsWith('0001-')) return '';
  return s.slice(0, 10);
}

function sizeOf(n) {
  if (!(n >= 0)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const count = (n) => Number(n || 0).toLocaleString('en');
const plural = (n, one, many) => `${count(n)} ${n === 1 ? one : many}`;

function typeClass(type) {
  return TYPE_NAME.has(type) ? type : 'OTHER';
}

function chips(collections) {
  return (collections || []).map((c) =>
    el('a', { class: 'chip', href: hashOf({ collection: c }), title: `Collection ${c}` }, c));
}

// pager draws previous / position / next links for a page of a list.
function pager(offset, limit, total, hashAt, label) {
  const nav = el('nav', { class: 'pager', 'aria-label': label });
  const last = Math.min(offset + limit, total);
  const prev = offset > 0;
  const next = offset + limit < total;
  nav.append(
    prev
      ? el('a', { class: 'btn', href: hashAt(Math.max(0, offset - limit)), rel: 'prev' }, '← Previous')
      : el('span', { class: 'btn', 'aria-disabled': 'true' }, '← Previous'),
    el('span', { class: 'pos' }, total ? `${count(offset + 1)}–${count(last)} of ${count(total)}` : '0 of 0'),
    next
      ? el('a', { class: 'btn', href: hashAt(offset + limit), rel: 'next' }, 'Next →')
      : el('span', { class: 'btn', 'aria-disabled': 'true' }, 'Next →'),
  );
  return nav;
}

// ---- Views. Each loads its data and returns the nodes to show.

async function searchView(q, offset, signal) {
  $('#q').value = q;
  const r = await api('search', { q, limit: SEARCH_PAGE, offset }, signal);
  const hashAt = (o) => hashOf({ search: q, offset: o });
  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, plural(r.total, 'result', 'results')),
    el('span', { class: 'for' }, 'for ', el('code', { class: 'query' }, r.query)),
    r.total > SEARCH_PAGE ? pager(offset, SEARCH_PAGE, r.total, hashAt, 'Result pages') : null);
  const list = el('ol', { class: 'hits', start: offset + 1 });
  for (const h of r.hits) {
    list.append(el('li', { class: 'hit' },
      el('a', { class: 'hit-title', href: hashOf({ doc: h.id }) }, h.title || '(untitled)'),
      el('div', { class: 'meta' },
        chips(h.collections),
        dateOf(h.date) ? el('span', { class: 'date' }, dateOf(h.date)) : null,
        el('span', { class: 'format' }, h.format)),
      snippet(h.snippet, h.highlights)));
  }
  const body = r.hits.length
    ? list
    : el('p', { class: 'empty' }, r.total
      ? 'No more results on this page.'
      : 'No document matches. Check the spelling, try a prefix such as recruit*, or alternatives with OR.');
  document.title = `${r.query} · Mosaic`;
  return {
    nodes: [head, body, r.total > SEARCH_PAGE ? pager(offset, SEARCH_PAGE, r.total, hashAt, 'Result pages, bottom') : null],
    status: `${plural(r.total, 'result', 'results')} for ${r.query}`,
  };
}

function snippet(text, highlights) {
  const p = el('p', { class: 'snippet' });
  const at = utf16At(text || '');
  const items = (highlights || [])
    .map((s) => ({ start: at(s.start), end: at(s.end) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  markUp(p, text || '', items, () => el('mark'));
  return p;
}

async function listView(collection, offset, signal) {
  const r = await api('documents', { collection, limit: LIST_PAGE, offset }, signal);
  const info = collections.find((c) => c.name === collection);
  const hashAt = (o) => hashOf({ collection, offset: o });
  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, collection || 'All documents'),
    el('span', { class: 'for' },
      info ? `${info.agency} · ` : '',
      plural(r.total, 'document', 'documents')),
    r.total > LIST_PAGE ? pager(offset, LIST_PAGE, r.total, hashAt, 'Document pages') : null);
  let body;
  if (r.documents.length) {
    body = el('table', { class: 'docs' },
      el('thead', {}, el('tr', {},
        el('th', { scope: 'col' }, 'Title'),
        el('th', { scope: 'col' }, 'Collections'),
        el('th', { scope: 'col', class: 'num' }, 'Date'),
        el('th', { scope: 'col' }, 'Format'),
        el('th', { scope: 'col', class: 'num' }, 'Size'))),
      el('tbody', {}, r.documents.map((d) => el('tr', {},
        el('td', {}, el('a', { href: hashOf({ doc: d.id }) }, d.title || '(untitled)')),
        el('td', {}, el('div', { class: 'chips' }, chips(d.collections))),
        el('td', { class: 'num' }, dateOf(d.date)),
        el('td', {}, d.format),
        el('td', { class: 'num' }, sizeOf(d.size))))));
  } else {
    body = el('p', { class: 'empty' }, collection
      ? 'This collection holds no documents yet.'
      : 'No documents yet. Load some with: mosaic ingest --collection NAME PATH…');
  }
  document.title = `${collection || 'All documents'} · Mosaic`;
  return {
    nodes: [head, body, r.total > LIST_PAGE ? pager(offset, LIST_PAGE, r.total, hashAt, 'Document pages, bottom') : null],
    status: `${collection || 'All documents'}: ${plural(r.total, 'document', 'documents')}`,
  };
}

async function docView(id, signal) {
  const r = await api('documents/' + encodeURIComponent(id), null, signal);
  const d = r.document;
  const text = d.text || '';

  // Mentions, drawn into the text.
  const at = utf16At(text);
  const items = r.mentions
    .map((m) => ({ m, start: at(m.start), end: at(m.end) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const textNode = el('div', { class: 'doctext', id: 'doctext', lang: d.meta && d.meta.language ? d.meta.language : null });
  const drawn = markUp(textNode, text, items, ({ m }) => el('span', {
    class: `m m-${typeClass(m.type)}`,
    title: m.norm ? `${m.type} ${m.norm}` : m.type,
    tabindex: '-1',
  }));

  const head = el('div', { class: 'doc-head' },
    el('button', { type: 'button', class: 'btn back', onclick: goBack }, '← Back'),
    el('h1', { tabindex: '-1' }, d.title || '(untitled)'));

  const facts = el('dl', { class: 'facts' },
    fact('Date', dateOf(d.date) || 'unknown'),
    fact('Format', d.format),
    fact('Size', sizeOf(d.size)),
    fact('Mentions', count(r.mentions.length)),
    fact('ID', el('code', { title: d.id }, d.id.slice(0, 16) + '…')),
    d.parent ? fact('Part of', el('a', { href: hashOf({ doc: d.parent }) }, el('code', {}, d.parent.slice(0, 16) + '…'))) : null);

  const holdings = el('table', { class: 'holdings' },
    el('caption', {}, `Held by ${plural(r.holdings.length, 'collection', 'collections')}`),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Collection'),
      el('th', { scope: 'col' }, 'Agency'),
      el('th', { scope: 'col' }, 'Source'),
      el('th', { scope: 'col', class: 'num' }, 'Added'))),
    el('tbody', {}, r.holdings.map((h) => el('tr', {},
      el('td', {}, el('a', { href: hashOf({ collection: h.collection }) }, h.collection)),
      el('td', {}, h.agency),
      el('td', {}, el('code', {}, h.source)),
      el('td', { class: 'num' }, dateOf(h.added))))));

  const metaKeys = Object.keys(d.meta || {}).sort();
  const meta = metaKeys.length
    ? el('details', { class: 'meta-fields' },
      el('summary', {}, `Metadata (${metaKeys.length} ${metaKeys.length === 1 ? 'field' : 'fields'})`),
      el('dl', {}, metaKeys.map((k) => [el('dt', {}, k), el('dd', {}, d.meta[k])])))
    : null;

  const reader = el('article', { class: 'reader', 'aria-labelledby': 'doc-title' },
    head, facts, holdings, meta,
    text ? textNode : el('p', { class: 'empty' }, 'This document has no text.'));
  head.querySelector('h1').id = 'doc-title';

  document.title = `${d.title || d.id.slice(0, 12)} · Mosaic`;
  return {
    nodes: [el('div', { class: 'docview' }, reader, mentionPanel(drawn, r.mentions.length, textNode))],
    status: `Document ${d.title}, ${plural(r.mentions.length, 'mention', 'mentions')}`,
  };
}

function fact(name, value) {
  return el('div', {}, el('dt', {}, name), el('dd', {}, value));
}

// mentionPanel lists the drawn mentions grouped by type, then by what they
// say; a click on one steps through its occurrences in the text. The legend
// above doubles as a switch to hide a type's colour.
function mentionPanel(drawn, total, textNode) {
  const groups = new Map();
  for (const { item, node } of drawn) {
    const t = typeClass(item.m.type);
    if (!groups.has(t)) groups.set(t, new Map());
    const key = item.m.text + '\u0000' + (item.m.norm || '');
    const byName = groups.get(t);
    if (!byName.has(key)) byName.set(key, { text: item.m.text, norm: item.m.norm, nodes: [] });
    byName.get(key).nodes.push(node);
  }
  const order = [...TYPES.map(([t]) => t), 'OTHER'].filter((t) => groups.has(t));

  const panel = el('aside', { class: 'mentions', 'aria-labelledby': 'mentions-title' },
    el('h2', { id: 'mentions-title' }, 'Mentions ', el('span', { class: 'n' }, count(drawn.length))));
  if (!drawn.length) {
    panel.append(el('p', { class: 'empty' }, total ? 'No mention could be placed in the text.' : 'No mentions found in this document.'));
    return panel;
  }

  const types = el('div', { class: 'types' });
  const legend = el('fieldset', { class: 'legend' }, el('legend', {}, 'Colour by type'), types);
  for (const t of order) {
    const n = [...groups.get(t).values()].reduce((s, g) => s + g.nodes.length, 0);
    const box = el('input', {
      type: 'checkbox', checked: true, 'data-type': t,
      onchange: (e) => textNode.classList.toggle('off-' + t, !e.target.checked),
    });
    types.append(el('label', {}, box, el('span', { class: `swatch m-${t}` }), TYPE_NAME.get(t) || 'Other', el('span', { class: 'n' }, count(n))));
  }
  panel.append(legend);

  let current = null;
  for (const t of order) {
    const entries = [...groups.get(t).values()]
      .sort((a, b) => b.nodes.length - a.nodes.length || a.text.localeCompare(b.text));
    const list = el('ul', {});
    for (const g of entries) {
      let i = -1;
      const where = el('span', { class: 'n' }, g.nodes.length > 1 ? count(g.nodes.length) : '');
      const button = el('button', {
        type: 'button',
        class: `mention m-${t}-edge`,
        title: g.norm ? `${t} ${g.norm}` : t,
        onclick: () => {
          i = (i + 1) % g.nodes.length;
          const node = g.nodes[i];
          if (current) current.classList.remove('current');
          current = node;
          node.classList.add('current');
          node.scrollIntoView({ block: 'center', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
          if (g.nodes.length > 1) where.textContent = `${i + 1}/${g.nodes.length}`;
        },
      },
      el('span', { class: 'label' }, g.text),
      g.norm && g.norm !== g.text ? el('span', { class: 'norm' }, g.norm) : null,
      where);
      list.append(el('li', {}, button));
    }
    panel.append(el('section', { class: 'group' },
      el('h3', {}, el('span', { class: `swatch m-${t}` }), TYPE_NAME.get(t) || 'Other'),
      list));
  }
  return panel;
}

function goBack() {
  // A page opened straight on a document has nowhere to go back to.
  if (history.length > 1) history.back();
  else location.hash = '';
}

// ---- Collections sidebar

let collections = [];

async function loadCollections() {
  const list = $('#collections');
  try {
    const r = await api('collections');
    collections = r.collections;
  } catch (err) {
    list.replaceChildren(el('li', { class: 'empty' }, `Could not load collections: ${err.message}`));
    return;
  }
  list.replaceChildren(
    el('li', {}, el('a', { href: '#', 'data-collection': '' }, el('span', { class: 'name' }, 'All documents'))),
    ...collections.map((c) => el('li', {},
      el('a', { href: hashOf({ collection: c.name }), 'data-collection': c.name },
        el('span', { class: 'name' }, c.name),
        el('span', { class: 'agency' }, c.agency),
        el('span', { class: 'n', 'aria-label': plural(c.documents, 'document', 'documents') }, count(c.documents))))));
  markCollection();
}

// markCollection highlights the collection being listed, if any.
function markCollection() {
  const p = new URLSearchParams(location.hash.slice(1));
  const listed = p.has('doc') || p.has('search') ? null : (p.get('collection') || '');
  for (const a of document.querySelectorAll('#collections a')) {
    if (a.dataset.collection === listed) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- Routing

let loading = null;

function showError(msg) {
  const box = $('#error');
  box.hidden = !msg;
  box.textContent = msg || '';
}

async function route() {
  const p = new URLSearchParams(location.hash.slice(1));
  const offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  if (loading) loading.abort();
  const ac = (loading = new AbortController());
  document.body.classList.add('loading');
  $('#main').setAttribute('aria-busy', 'true');
  markCollection();
  try {
    let view;
    if (p.has('doc')) view = await docView(p.get('doc'), ac.signal);
    else if (p.has('search')) view = await searchView(p.get('search'), offset, ac.signal);
    else view = await listView(p.get('collection') || '', offset, ac.signal);
    if (ac.signal.aborted) return;
    showError(null);
    $('#view').replaceChildren(...view.nodes.filter(Boolean));
    $('#status').textContent = view.status;
    $('#main').scrollTop = 0;
    // Move focus to the new heading so keyboard and screen-reader users land
    // on what changed, unless they are typing in the search box.
    if (document.activeElement !== $('#q')) $('#view h1')?.focus({ preventScroll: true });
  } catch (err) {
    if (ac.signal.aborted || err.name === 'AbortError') return;
    $('#view').replaceChildren();
    showError(err.message);
  } finally {
    if (loading === ac) {
      loading = null;
      document.body.classList.remove('loading');
      $('#main').removeAttribute('aria-busy');
    }
  }
}

function search(event) {
  event.preventDefault();
  const q = $('#q').value.trim();
  if (!q) {
    $('#q').focus();
    return;
  }
  const hash = hashOf({ search: q });
  if (location.hash === hash) route();
  else location.hash = hash;
}

function keys(event) {
  if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey) {
    const t = event.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable;
    if (!typing) {
      event.preventDefault();
      $('#q').focus();
      $('#q').select();
    }
  } else if (event.key === 'Escape' && event.target === $('#q')) {
    $('#q').blur();
  }
}

function start() {
  $('#search-form').addEventListener('submit', search);
  document.addEventListener('keydown', keys);
  window.addEventListener('hashchange', route);
  $('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('#main').focus();
  });
  loadCollections().then(() => route());
}

start();
