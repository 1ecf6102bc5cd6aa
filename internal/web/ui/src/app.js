// Mosaic's first page: search, collections, a document reader with every
// mention marked, entity profiles with their network and mentions per week,
// the network's cells and central figures, and the lone-actor check. Plain
// JavaScript as ES modules under src/ (this one, the core and the first
// views; views added since register through views.js), bundled by
// scripts/ui-build.sh; nothing is fetched from anywhere but this server.
//
// Documents are hostile: every piece of their content reaches the DOM as a
// text node (el(), append(string), textContent), never as HTML.
//
// The page's state lives in location.hash, so back, forward and links work:
//   #search=QUERY[&offset=N]      search results
//   #collection=NAME[&offset=N]   a collection's documents
//   #doc=ID[&page=N]              one document, a page of its text (from 1)
//   (empty)                       all documents
//   #/entity/ID[?hops=N&to=ID&k=K&max=N&co=1]
//                                 an entity: its names, neighbours within
//                                 N hops, and paths to entity "to"
//   #/network[?co=1]              the network's cells and central figures
//   #/lone-actors                 who is called a lone actor, and their links
//   #/agencies[?q=NAME]           other agencies: who holds material on NAME
//                                 (a name, phone number or e-mail address),
//                                 share requests, alerts
//
// The API wants a logged-in user: the page asks /api/v1/me who it is, and
// shows the login form when the answer is 401 (then, or on any later
// request, as when the session expires). The session lives in an HttpOnly
// cookie the page never sees; every change carries the session's CSRF
// token, which the login and /me give, in X-CSRF-Token.

import { findView } from './views.js';

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

// routeOf reads a location hash. "#/entity/12?hops=2" is a page with its
// parameters; the older "#doc=ID" form has parameters only, and path ''.
function routeOf(hash) {
  const h = hash.replace(/^#/, '');
  if (!h.startsWith('/')) return { path: '', params: new URLSearchParams(h) };
  const q = h.indexOf('?');
  return { path: q < 0 ? h : h.slice(0, q), params: new URLSearchParams(q < 0 ? '' : h.slice(q + 1)) };
}

// pageHash builds "#/PATH?params", dropping empty parameters.
function pageHash(path, params) {
  const q = hashOf(params || {}).slice(1);
  return '#' + path + (q ? '?' + q : '');
}

const entityHash = (id, params) => pageHash(`/entity/${id}`, params);

// ---- Talking to the server

// pending counts requests in flight; while there are any, a bar runs under
// the top bar and the main area is marked busy, however the view loads.
let pending = 0;

function progress(delta) {
  pending += delta;
  document.body.classList.toggle('loading', pending > 0);
  if (pending > 0) $('#main').setAttribute('aria-busy', 'true');
  else $('#main').removeAttribute('aria-busy');
}

async function api(path, params, signal) {
  const url = new URL('api/v1/' + path, document.baseURI);
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  }
  return request(url, { headers: { Accept: 'application/json' }, signal });
}

// send sends a JSON body with the session's CSRF token, by POST unless
// method says otherwise (DELETE): analysts' judgements, the login and the
// logout, the admin's changes.
async function send(path, body, signal, method = 'POST') {
  return request(new URL('api/v1/' + path, document.baseURI), {
    method,
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
    body: JSON.stringify(body),
    signal,
  });
}

// request fetches and decodes a JSON answer; an error answer throws with
// the server's message, which says what was wrong with the request. A 401
// means the session is over (or never was): the page asks to log in.
// NETWORK_API matches the paths of the API's answers read from the
// network, which say when they come from the last one built.
const NETWORK_API = /\/api\/v1\/(path|edge|network|lone-actors|entities\/[0-9]+\/(neighbours|ego))$/;

async function request(url, init) {
  progress(+1);
  try {
    const res = await fetch(url, init);
    // A network answer from the last network built, while the next one
    // builds: the page says so until the next view, or until a network
    // answer comes from the new one.
    if (res.headers.get('Mosaic-Network-Stale')) $('#stale').hidden = false;
    else if (res.ok && NETWORK_API.test(url.pathname)) $('#stale').hidden = true;
    if (res.status === 401 && !url.pathname.endsWith('/api/v1/login')) signedOut();
    return await answer(res);
  } finally {
    progress(-1);
  }
}

// ---- Login

// csrf is the session's CSRF token, sent with every change.
let csrf = '';

// me is the user logged in (store.User), null when no one is.
let me = null;

// mayDeal reports whether the user may deal with other agencies: ask what
// they hold, ask them to share, decide their requests. The server refuses
// viewers; the page does not offer it to them.
const mayDeal = () => me !== null && (me.role === 'analyst' || me.role === 'admin');

// signedIn shows the page to the user the login or /me named.
function signedIn(m) {
  csrf = m.csrf || '';
  me = m.user;
  $('#agencies-tool').hidden = !mayDeal();
  document.body.classList.remove('anon');
  $('#login-page').hidden = true;
  $('#who-name').textContent = `${m.user.name} (${m.user.role}) · ${m.user.agency}`;
  $('#who').hidden = false;
}

// signedOut forgets the session and everything shown under it, and shows
// the login form.
function signedOut() {
  if (document.body.classList.contains('anon')) return;
  csrf = '';
  me = null;
  // Names are what this user's scope calls entities: the next user's may
  // differ.
  known.clear();
  $('#agencies-tool').hidden = true;
  $('#agencies-pending').hidden = true;
  if (shown) shown.abort();
  document.body.classList.add('anon');
  $('#who').hidden = true;
  $('#view').replaceChildren();
  $('#collections').replaceChildren();
  showError(null);
  $('#login-page').hidden = false;
  $('#login-user').focus();
}

async function logIn(event) {
  event.preventDefault();
  const said = $('#login-error');
  said.hidden = true;
  try {
    const m = await send('login', { user: $('#login-user').value.trim(), password: $('#login-password').value });
    $('#login-password').value = '';
    signedIn(m);
  } catch (err) {
    said.hidden = false;
    said.textContent = err.message;
    $('#login-password').select();
    return;
  }
  loadCollections().then(() => route());
}

async function logOut() {
  try {
    await send('logout', {});
  } catch (err) {
    showError(err.message);
    return;
  }
  signedOut();
}

async function answer(res) {
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
  const bounded = r.ranked < r.total
    ? el('p', { class: 'hint ranked' }, `The ${count(r.ranked)} documents stored last are ranked by relevance; the older ones follow, newest first. Narrow the search to rank them.`)
    : null;
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
    nodes: [head, bounded, offset ? null : peopleFor(q, signal), body, r.total > SEARCH_PAGE ? pager(offset, SEARCH_PAGE, r.total, hashAt, 'Result pages, bottom') : null],
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

// textPager links a long document's pages: the server sends one window of
// its text (about 64 KiB) at a time.
function textPager(id, page, label) {
  const nav = el('nav', { class: 'pager text-pager', 'aria-label': label });
  const at = (n) => hashOf({ doc: id, page: n > 1 ? n : '' });
  const n = page.number + 1;
  nav.append(
    n > 1
      ? el('a', { class: 'btn', href: at(n - 1), rel: 'prev' }, '← Previous page')
      : el('span', { class: 'btn', 'aria-disabled': 'true' }, '← Previous page'),
    el('span', { class: 'pos' }, `Page ${count(n)} of ${count(page.pages)}`),
    n < page.pages
      ? el('a', { class: 'btn', href: at(n + 1), rel: 'next' }, 'Next page →')
      : el('span', { class: 'btn', 'aria-disabled': 'true' }, 'Next page →'),
  );
  return nav;
}

async function docView(id, pageNumber, signal) {
  const r = await api('documents/' + encodeURIComponent(id), pageNumber > 1 ? { page: pageNumber - 1 } : null, signal);
  const d = r.document;
  // The text is one page of the document's; the mentions' offsets are the
  // document's, so each is placed from the page's start. One that runs
  // past the page's end is drawn up to it.
  const text = d.text || '';
  const page = r.page || { number: 0, pages: 1, start: 0, end: text.length };
  const paged = page.pages > 1;

  // Mentions, drawn into the text.
  const at = utf16At(text);
  const items = r.mentions
    .map((m) => ({ m, start: at(m.start - page.start), end: at(Math.min(m.end, page.end) - page.start) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const textNode = el('div', { class: 'doctext', id: 'doctext', lang: d.meta && d.meta.language ? d.meta.language : null });
  // A resolved mention links to its entity; the mention panel holds the
  // same links for the keyboard, so the text's stay out of the tab order.
  const drawn = markUp(textNode, text, items, ({ m }) => el(m.entity ? 'a' : 'span', {
    class: `m m-${typeClass(m.type)}`,
    title: (m.norm ? `${m.type} ${m.norm}` : m.type) + (m.entity ? ' · open the profile' : ''),
    href: m.entity ? entityHash(m.entity) : null,
    tabindex: '-1',
  }));

  const head = el('div', { class: 'doc-head' },
    el('button', { type: 'button', class: 'btn back', onclick: goBack }, '← Back'),
    el('h1', { tabindex: '-1' }, d.title || '(untitled)'));

  const facts = el('dl', { class: 'facts' },
    fact('Date', dateOf(d.date) || 'unknown'),
    fact('Format', d.format),
    fact('Size', sizeOf(d.size)),
    fact(paged ? 'Mentions on this page' : 'Mentions', count(r.mentions.length) + (r.mentions_next ? '+' : '')),
    paged ? fact('Page', `${count(page.number + 1)} of ${count(page.pages)}`) : null,
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
    paged ? textPager(d.id, page, 'Pages of the text') : null,
    text ? textNode : el('p', { class: 'empty' }, 'This document has no text.'),
    paged ? textPager(d.id, page, 'Pages of the text, bottom') : null);
  head.querySelector('h1').id = 'doc-title';

  document.title = `${d.title || d.id.slice(0, 12)} · Mosaic`;
  return {
    nodes: [el('div', { class: 'docview' }, reader, mentionPanel(drawn, r.mentions.length, textNode))],
    status: `Document ${d.title}${paged ? `, page ${page.number + 1} of ${page.pages}` : ''}, ${plural(r.mentions.length, 'mention', 'mentions')}`,
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
    const key = item.m.text + '\u0000' + (item.m.norm || '') + '\u0000' + (item.m.entity || '');
    const byName = groups.get(t);
    if (!byName.has(key)) byName.set(key, { text: item.m.text, norm: item.m.norm, entity: item.m.entity, nodes: [] });
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
      list.append(el('li', {}, button, g.entity
        ? el('a', { class: 'profile', href: entityHash(g.entity), title: `Open the profile of ${g.text}` }, 'profile')
        : null));
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

// ---- Parts of a view that load after it is shown

// filling holds the controller of each box's load in progress.
const filling = new WeakMap();

// fill loads part of a view into box: note while it loads (with the seconds
// waited, once the wait is long enough to wonder), then the nodes load
// returns, or the error. An empty answer hides the box; with no note, the
// box stays hidden until there is something to show. A newer fill of the
// same box cancels an older one, and leaving the view (signal) cancels both.
function fill(box, note, load, signal) {
  filling.get(box)?.abort();
  const mine = new AbortController();
  filling.set(box, mine);
  const s = AbortSignal.any([signal, mine.signal]);
  box.setAttribute('aria-busy', 'true');
  box.hidden = !note;
  let timer = 0;
  if (note) {
    const waited = el('span', { class: 'waited' });
    box.replaceChildren(el('p', { class: 'pending' }, note, waited));
    const began = Date.now();
    timer = setInterval(() => {
      const sec = Math.round((Date.now() - began) / 1000);
      if (sec >= 2) waited.textContent = ` ${sec} s`;
    }, 1000);
  }
  const done = () => {
    clearInterval(timer);
    if (filling.get(box) === mine) {
      filling.delete(box);
      box.removeAttribute('aria-busy');
    }
  };
  load(s).then((nodes) => {
    done();
    if (s.aborted) return;
    const shown = (nodes || []).flat().filter(Boolean);
    box.replaceChildren(...shown);
    box.hidden = shown.length === 0;
  }, (err) => {
    done();
    if (s.aborted || err.name === 'AbortError') return;
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'error', role: 'alert' }, err.message));
  });
}

// ---- Entities

// known maps entity IDs to their names and kinds, as profiles and the
// network answers give them. Judgements rename and merge entities, so
// making one clears it.
const known = new Map();

function remember(id, name, kind) {
  const had = known.get(Number(id));
  if (!id || !name || (had && (had.kind || !kind))) return;
  known.set(Number(id), { name, kind });
}

// namesOf reads the profiles of the IDs whose kind is not known yet, a few
// at a time, at most MAX_LOOKUPS of them; the rest keep the name they came
// with, or are shown by number. An entity the scope cannot see stays
// unnamed.
const MAX_LOOKUPS = 100;

async function namesOf(ids, signal) {
  const missing = [...new Set(ids.map(Number))].filter((id) => id > 0 && !known.get(id)?.kind).slice(0, MAX_LOOKUPS);
  let next = 0;
  const worker = async () => {
    while (next < missing.length) {
      const id = missing[next++];
      try {
        const p = await api(`entities/${id}`, null, signal);
        known.set(id, { name: p.name, kind: p.kind });
      } catch (err) {
        if (err.name === 'AbortError') throw err;
      }
    }
  };
  await Promise.all([1, 2, 3, 4].map(worker));
}

const nameOf = (id) => known.get(Number(id))?.name || `entity ${id}`;

// entityLink links to an entity's profile, under the name the page knows
// it by, or under as: the spelling one context gives it (who a profile's
// entity is named with is named as the shared sentences spell them),
// which is not remembered as the entity's name.
function entityLink(id, as, asKind) {
  const k = known.get(Number(id));
  const kind = k?.kind || asKind;
  return el('a', { class: 'entity', href: entityHash(id), 'data-entity': id },
    el('span', { class: `swatch m-${typeClass(kind)}`, title: TYPE_NAME.get(kind) || 'Entity' }),
    as || nameOf(id));
}

function badge(cls, text, title) {
  return el('span', { class: `badge ${cls}`, title }, text);
}

// docItem is a document an entity is named in: its title, date and holders.
function docItem(d) {
  return el('li', {},
    el('a', { class: 'doc', href: hashOf({ doc: d.id }) }, d.title || '(untitled)'),
    dateOf(d.date) ? el('span', { class: 'date' }, dateOf(d.date)) : null,
    chips(d.collections));
}

// docList shows the first few documents and folds the rest away: a common
// name may stand in thousands. more, when given, loads the next page of
// them (see moreButton).
function docList(docs, first, cls, more) {
  const list = el('ul', { class: cls }, docs.slice(0, first).map(docItem));
  if (docs.length <= first && !more) return list;
  const rest = el('ul', { class: cls }, docs.slice(first).map(docItem));
  return [list, el('details', { class: 'more' },
    el('summary', {}, docs.length > first ? `${count(docs.length - first)} more` : 'More'),
    rest, more ? more(rest) : null)];
}

// moreButton loads the next page of a list the server pages: path names
// the list (entities/ID/timeline, say), key is the list in the answer,
// cursor the next page's, and add appends the items it brings. It stays
// until the last page has come.
function moreButton(path, params, key, cursor, add, signal, label = 'Show more') {
  if (!cursor) return null;
  const button = el('button', { type: 'button', class: 'btn more-button' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const r = await api(path, { ...params, cursor }, signal);
      add(r[key]);
      cursor = r.next;
      if (!cursor) button.remove();
    } catch (err) {
      if (err.name !== 'AbortError') showError(err.message);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

async function entityView(id, p, signal) {
  const e = await api(`entities/${id}`, null, signal);
  known.set(e.id, { name: e.name, kind: e.kind });

  // The view's settings live in the hash, so a reload or a copied link
  // shows the same neighbourhood and paths.
  const number = (k, lo, hi, d) => {
    const n = parseInt(p.get(k) || '', 10);
    return n >= lo && n <= hi ? n : d;
  };
  const state = {
    hops: number('hops', 1, 2, 1),
    to: /^[0-9]{1,18}$/.test(p.get('to') || '') ? p.get('to') : '',
    k: number('k', 1, 10, 3),
    max: number('max', 1, 10, 6),
    co: p.get('co') === '1',
  };
  const keep = () => {
    if (signal.aborted) return;
    history.replaceState(null, '', entityHash(e.id, {
      hops: state.hops > 1 ? state.hops : '', to: state.to,
      k: state.k !== 3 ? state.k : '', max: state.max !== 6 ? state.max : '', co: state.co ? 1 : '',
    }));
  };
  // An entity merged into another reads as that one: show its address.
  if (String(e.id) !== id) keep();

  // The profile's lists are first pages; their counts say "at least" when
  // more pages follow.
  const spellings = e.names.length;
  const mentions = e.names.reduce((n, s) => n + s.mentions, 0);
  const listed = new Set(e.names.flatMap((n) => n.documents.map((d) => d.id)));
  const partial = e.names_next || e.names.some((n) => n.documents_next);
  const docs = { size: partial ? Math.max(listed.size, ...e.names.map((n) => n.document_count || 0)) : listed.size };
  const atLeast = (n) => (partial ? `${count(n)}+` : count(n));
  const head = el('div', { class: 'doc-head' },
    el('button', { type: 'button', class: 'btn back', onclick: goBack }, '← Back'),
    el('h1', { tabindex: '-1', id: 'entity-title' }, e.name),
    el('a', { class: 'btn chart-link', href: pageHash('/chart', { entity: e.id }), title: `Draw ${e.name}'s links as a chart` }, 'Chart'),
    e.kind === 'PERSON' ? el('a', { class: 'btn chart-link group-link', href: pageHash('/chart', { entity: e.id, group: 1 }), title: 'The shortest path of stated relations to a group or a member of one, as the lone-actor check finds it' }, 'Chart the path to a group') : null,
    el('span', { class: `kind m-${typeClass(e.kind)}-edge` }, TYPE_NAME.get(e.kind) || e.kind));
  const facts = el('dl', { class: 'facts' },
    fact('Mentions', e.names_next ? `${count(mentions)}+` : count(mentions)),
    fact('Documents', atLeast(docs.size)),
    fact('Spellings', e.names_next ? `${count(spellings)}+` : count(spellings)),
    fact('Collections', el('span', { class: 'chips' }, chips(e.collections))),
    fact('ID', el('code', {}, String(e.id))),
    e.merged && e.merged.length ? fact('Merged from', e.merged.map((m) => `#${m}`).join(', ')) : null,
    mayDeal() && (e.kind === 'PERSON' || e.kind === 'ORG')
      ? fact('Other agencies', el('a', { href: pageHash('/agencies', { q: e.name }) }, 'Who else holds material on them?'))
      : null);

  const paths = pathSection(e, state, keep, signal);
  const profile = el('article', { class: 'profile', 'aria-labelledby': 'entity-title' },
    head, facts,
    trendSection(e, signal),
    el('section', { class: 'block', 'aria-labelledby': 'names-title' },
      el('h2', { id: 'names-title' }, 'Names and spellings'),
      namesTable(e, signal)),
    networkSection(e, state, keep, paths, signal),
    paths.section);

  const side = el('aside', { class: 'side' },
    el('section', { class: 'block timeline', 'aria-labelledby': 'timeline-title' },
      el('h2', { id: 'timeline-title' }, 'Timeline ', el('span', { class: 'n' }, e.timeline_next ? `${count(e.timeline.length)}+` : count(e.timeline.length))),
      e.timeline.length
        ? docList(e.timeline, 12, 'doclist dated', e.timeline_next && ((rest) =>
          moreButton(`entities/${e.id}/timeline`, {}, 'timeline', e.timeline_next, (ds) => rest.append(...ds.map(docItem)), signal)))
        : el('p', { class: 'empty' }, 'No dated document names it.')),
    connectionsSection(e, signal),
    judgementSection(e, signal));

  document.title = `${e.name} · Mosaic`;
  return {
    nodes: [el('div', { class: 'entityview' }, profile, side)],
    status: `${e.name}, ${TYPE_NAME.get(e.kind) || e.kind}: ${plural(spellings, 'spelling', 'spellings')} in ${plural(docs.size, 'document', 'documents')}`,
  };
}

// connectionsSection lists the entities named in the same sentences, a
// page at a time.
function connectionsSection(e, signal) {
  const item = (c) => el('li', {}, entityLink(c.id, c.name, c.kind), el('span', { class: 'n' }, count(c.sentences)));
  const list = el('ul', { class: 'entity-list' }, e.connections.map(item));
  return el('section', { class: 'block connections', 'aria-labelledby': 'connections-title' },
    el('h2', { id: 'connections-title' }, 'Named with ', el('span', { class: 'n' }, e.connections_next ? `${count(e.connections.length)}+` : count(e.connections.length))),
    el('p', { class: 'hint' }, 'In the same sentence, with the number of sentences.'),
    e.connections.length ? list : el('p', { class: 'empty' }, 'Named with no one else.'),
    moreButton(`entities/${e.id}/connections`, {}, 'connections', e.connections_next, (cs) => {
      list.append(...cs.map(item));
    }, signal, 'More names it is named with'));
}

// namesTable lists each spelling with the documents it stands in and why
// resolution tied it to the entity, so an analyst can check each tie. The
// spellings and each one's documents come a page at a time.
function namesTable(e, signal) {
  const row = (n) => el('tr', {},
    el('th', { scope: 'row' },
      el('span', { class: 'spelling' }, n.name),
      n.confirmed ? badge('confirmed', 'confirmed', 'An analyst confirmed this spelling') : null),
    el('td', { class: 'num' }, count(n.mentions)),
    el('td', {}, docList(n.documents, 4, 'doclist', n.documents_next && ((rest) =>
      moreButton(`entities/${e.id}/documents`, { name: n.name }, 'documents', n.documents_next,
        (ds) => rest.append(...ds.map(docItem)), signal, `More of its ${count(n.document_count)} documents`)))),
    el('td', {}, n.why.length
      ? el('ul', { class: 'why' }, n.why.map((w) => el('li', {}, w)))
      : el('span', { class: 'empty' }, '—')));
  const body = el('tbody', {}, e.names.map(row));
  return [el('table', { class: 'names' },
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col' }, 'Spelling'),
      el('th', { scope: 'col', class: 'num' }, 'Mentions'),
      el('th', { scope: 'col' }, 'Documents'),
      el('th', { scope: 'col' }, 'Why it was tied'))),
    body),
  moreButton(`entities/${e.id}/names`, {}, 'names', e.names_next, (ns) => body.append(...ns.map(row)), signal, 'More spellings')];
}

// ---- Mentions per week

// SVG_NS is SVG's namespace: a name written as a URL, never fetched. The
// page's test allows it once, here.
const SVG_NS = 'http://www.w3.org/2000/svg';

// svgEl is el for SVG: attributes set as given, strings appended as text.
function svgEl(tag, attrs, ...children) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) e.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) e.append(c);
  }
  return e;
}

// trendSection charts how often the dated documents mention the entity,
// week by week, with the weeks that surge above the weeks before them
// marked and explained.
function trendSection(e, signal) {
  const box = el('div', { class: 'trend-body', 'aria-live': 'polite' });
  fill(box, 'Counting mentions week by week…', async (s) => {
    const r = await api(`entities/${e.id}/trend`, null, s);
    if (!r.weeks.length) return [el('p', { class: 'empty' }, 'No dated documents mention it.')];
    const total = r.weeks.reduce((n, w) => n + w.count, 0);
    const first = dateOf(r.weeks[0].start);
    const last = dateOf(r.weeks[r.weeks.length - 1].start);
    return [
      el('p', { class: 'hint' }, `${plural(total, 'mention', 'mentions')} in ${plural(r.weeks.length, 'week', 'weeks')}, `,
        r.weeks.length > 1 ? `from the week of ${first} to that of ${last}` : `the week of ${first}`,
        r.surges.length ? `; ${plural(r.surges.length, 'surge', 'surges')}.` : '; no week surges above the weeks before it.'),
      weekChart(r.weeks),
      r.surges.length
        ? el('ul', { class: 'surges' }, r.surges.map((sg) => el('li', {},
          el('span', { class: 'date' }, dateOf(sg.start)), badge('surge', 'surge'), el('span', { class: 'why' }, sg.why))))
        : null,
    ];
  }, signal);
  return el('section', { class: 'block trend', 'aria-labelledby': 'trend-title' },
    el('h2', { id: 'trend-title' }, 'Mentions per week'), box);
}

// weekChart draws one bar a week, scaled to the busiest week, the surges
// in their own colour and the baseline they were judged against dashed.
// The SVG stretches to the width; the dates and the scale are HTML, so
// they are not stretched with it.
function weekChart(weeks) {
  const W = 10;
  const H = 100;
  const top = Math.max(1, ...weeks.map((w) => Math.max(w.count, w.expected || 0)));
  const y = (v) => H - (v / top) * H;
  const word = (n) => (n === 1 ? 'mention' : 'mentions');
  const peak = Math.max(...weeks.map((w) => w.count));
  const bars = weeks.map((w, i) => svgEl('g', { class: w.surge ? 'week surge' : 'week' },
    svgEl('title', {}, `Week of ${dateOf(w.start)}: ${count(w.count)} ${word(w.count)}`,
      w.surge ? ` (a surge; about ${w.expected.toFixed(1)} expected)` : ''),
    svgEl('rect', { class: 'hit', x: i * W, y: 0, width: W, height: H }),
    svgEl('rect', {
      class: 'bar', x: i * W + 1, y: y(w.count), width: W - 2, height: H - y(w.count),
      'data-start': dateOf(w.start), 'data-count': w.count,
    })));
  // The baseline, where there was enough history to judge a week by.
  const base = weeks.map((w, i) => (w.expected > 0 ? `${i * W + 1},${y(w.expected)}h${W - 2}` : '')).filter(Boolean);
  const chart = svgEl('svg', {
    class: 'chart', viewBox: `0 0 ${weeks.length * W} ${H}`, preserveAspectRatio: 'none',
    width: '100%', height: 120, role: 'img',
    'aria-label': `Mentions per week, ${dateOf(weeks[0].start)} to ${dateOf(weeks[weeks.length - 1].start)}; at most ${count(peak)} in a week`,
  }, bars, base.length ? svgEl('path', { class: 'baseline', d: base.map((b) => 'M' + b).join('') }) : null);
  const axis = el('figcaption', { class: 'axis' },
    el('span', {}, dateOf(weeks[0].start)),
    weeks.length > 1 ? el('span', {}, dateOf(weeks[weeks.length - 1].start)) : null);
  const figure = el('figure', { class: 'weeks' },
    el('div', { class: 'scale' }, `${count(peak)} a week at most`),
    chart,
    axis,
    base.length || weeks.some((w) => w.surge)
      ? el('p', { class: 'legend-line' },
        weeks.some((w) => w.surge) ? [el('span', { class: 'key surge' }), 'surge'] : null,
        base.length ? [el('span', { class: 'key baseline' }), 'mentions expected from the weeks before'] : null)
      : null);
  // A short series keeps its bars narrow rather than a few wide blocks,
  // with room for its dates at its ends. (CSSOM: the page's policy forbids
  // style attributes.)
  const most = `${Math.max(weeks.length * 18, 180)}px`;
  chart.style.maxWidth = most;
  axis.style.maxWidth = most;
  return figure;
}

// ---- The network around an entity

// networkSection shows the entities within one or two hops. Only typed
// relations are followed unless the analyst asks for names that are merely
// mentioned together; switching that reloads the paths too. "How?" beside
// a neighbour shows the paths to it.
function networkSection(e, state, keep, paths, signal) {
  const box = el('div', { class: 'neighbours', 'aria-live': 'polite' });
  const load = () => fill(box, `Finding who is within ${plural(state.hops, 'hop', 'hops')}…`, async (s) => {
    const r = await api(`entities/${e.id}/neighbours`, { hops: state.hops, cooccurrence: state.co ? 1 : '' }, s);
    for (const n of r.neighbours) remember(n.entity, n.name, n.kind);
    if (!r.neighbours.length) {
      return [el('p', { class: 'empty' }, `No relation links ${e.name} to anyone`,
        state.co ? '.' : ' (names merely mentioned together are not followed).')];
    }
    const groups = [];
    for (let h = 1; h <= state.hops; h++) {
      const at = r.neighbours.filter((n) => n.hops === h);
      if (!at.length) continue;
      groups.push(el('section', { class: 'ring', 'data-hops': h },
        el('h3', {}, h === 1 ? 'Directly linked' : `${h} hops away`, el('span', { class: 'n' }, count(at.length))),
        el('ul', { class: 'entity-list' }, at.map((n) => el('li', {},
          entityLink(n.entity),
          el('a', {
            class: 'how',
            href: entityHash(e.id, { to: n.entity, co: state.co ? 1 : '' }),
            title: `Show the evidence linking ${e.name} and ${nameOf(n.entity)}`,
            onclick: (event) => {
              event.preventDefault();
              paths.choose(n.entity);
            },
          }, 'how?'))))));
    }
    return [groups, r.complete ? null : el('p', { class: 'hint' }, 'Only the nearest ones are shown.')];
  }, signal);

  const size = [1, 2].map((n) => el('button', {
    type: 'button', class: 'btn', 'data-hops': n, 'aria-pressed': String(n === state.hops),
    onclick: () => {
      state.hops = n;
      for (const b of size) b.setAttribute('aria-pressed', String(b.dataset.hops === String(n)));
      keep();
      load();
    },
  }, plural(n, 'hop', 'hops')));
  const co = el('input', { type: 'checkbox', id: 'follow-co', checked: state.co });
  const section = el('section', { class: 'block network', 'aria-labelledby': 'network-title' },
    el('div', { class: 'block-head' },
      el('h2', { id: 'network-title' }, 'Network'),
      el('div', { class: 'segmented', role: 'group', 'aria-label': 'How far to look' }, size),
      el('label', { class: 'check' }, co, 'Follow names mentioned together')),
    box);
  co.addEventListener('change', () => {
    state.co = co.checked;
    keep();
    load();
    paths.show();
  });
  load();
  return section;
}

// pathSection finds the shortest evidence paths to a second entity, named
// by the analyst and picked among the entities of that name. It returns the
// section, show to load the paths again, and choose to show the paths to an
// entity.
function pathSection(e, state, keep, signal) {
  const input = el('input', {
    type: 'search', id: 'path-to', autocomplete: 'off', spellcheck: 'false', maxlength: '400',
    placeholder: 'Name of a person or organisation',
  });
  const k = el('select', { id: 'path-k', 'aria-label': 'Number of paths' },
    [1, 3, 5, 10].map((n) => el('option', { value: n, selected: n === state.k }, String(n))));
  const max = el('select', { id: 'path-max', 'aria-label': 'Most hops' },
    [2, 3, 4, 6, 8, 10].map((n) => el('option', { value: n, selected: n === state.max }, String(n))));
  const picks = el('div', { class: 'picks', hidden: true });
  const result = el('div', { class: 'path-result', 'aria-live': 'polite', hidden: true });

  const show = () => {
    if (!state.to) return;
    picks.hidden = true;
    fill(result, `Finding paths from ${e.name} to ${nameOf(state.to)}…`, async (s) => {
      const nodes = await pathsTo(e, state, s);
      // Opened from a link, the box does not say whom the paths go to yet.
      if (!input.value) input.value = nameOf(state.to);
      return nodes;
    }, signal);
  };
  const choose = (id) => {
    state.to = String(id);
    state.k = Number(k.value);
    state.max = Number(max.value);
    input.value = nameOf(id);
    keep();
    show();
    section.scrollIntoView({ block: 'nearest', behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth' });
  };
  const find = (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      input.focus();
      return;
    }
    fill(picks, `Looking for “${name}”…`, async (s) => {
      const r = await api('entities', { name, limit: 10 }, s);
      const cands = r.entities.filter((c) => c.id !== e.id);
      for (const c of cands) remember(c.id, c.name, c.kind);
      if (!cands.length) {
        return [el('p', { class: 'empty' }, `No person or organisation is named “${name}”.`)];
      }
      // One candidate needs no choice.
      if (cands.length === 1) {
        choose(cands[0].id);
        return [];
      }
      return [el('p', { class: 'hint' }, `${plural(cands.length, 'entity is', 'entities are')} named like “${name}”: which one?`),
        el('ul', { class: 'candidates' }, cands.map((c) => el('li', {},
          el('button', { type: 'button', class: 'candidate', onclick: () => choose(c.id) },
            el('span', { class: `swatch m-${typeClass(c.kind)}` }),
            el('span', { class: 'label' }, c.name),
            c.matched && c.matched !== c.name ? el('span', { class: 'matched' }, `as “${c.matched}”`) : null,
            el('span', { class: 'n', title: c.match ? 'The names match' : 'The names are alike' }, c.score.toFixed(2))))))];
    }, signal);
  };
  const again = () => {
    if (!state.to) return;
    state.k = Number(k.value);
    state.max = Number(max.value);
    keep();
    show();
  };
  k.addEventListener('change', again);
  max.addEventListener('change', again);

  const form = el('form', { class: 'path-form', onsubmit: find },
    el('label', { for: 'path-to' }, `From ${e.name} to`),
    input,
    el('button', { type: 'submit', class: 'btn primary' }, 'Find paths'),
    el('span', { class: 'path-opts' },
      el('label', {}, 'up to ', k, ' paths'),
      el('label', {}, 'of at most ', max, ' hops')));
  const section = el('section', { class: 'block pathfind', 'aria-labelledby': 'path-title' },
    el('h2', { id: 'path-title' }, 'Path to…'),
    form, picks, result);
  if (state.to) {
    input.value = known.has(Number(state.to)) ? nameOf(state.to) : '';
    show();
  }
  return { section, show, choose };
}

// pathsTo loads the shortest paths between e and state.to, and what the
// documents say of a direct link between them.
async function pathsTo(e, state, signal) {
  const r = await api('path', {
    from: e.id, to: state.to, k: state.k, hops: state.max, cooccurrence: state.co ? 1 : '',
  }, signal);
  for (const [id, name] of Object.entries(r.names)) remember(id, name, r.kinds[id]);
  // An entity outside the network has no name there: its profile gives it.
  await namesOf([state.to], signal);
  const a = e.name;
  const b = nameOf(state.to);
  const out = [];
  if (r.paths.length) {
    out.push(el('p', { class: 'path-summary' },
      `${plural(r.paths.length, 'path', 'paths')} from ${a} to ${b}, shortest first.`));
  } else {
    out.push(el('p', { class: 'no-path' }, el('strong', {}, 'No path'),
      ` from ${a} to ${b} within ${plural(state.max, 'hop', 'hops')}`,
      state.co
        ? '.'
        : ' of stated relations. Names merely mentioned together are not followed: tick “Follow names mentioned together” to include them.'));
  }
  if (r.direct) out.push(directBox(r.direct, a, b, r.paths, state.co));
  if (r.paths.length) out.push(pathList(r.paths));
  return out;
}

// directBox shows the evidence about a direct link that no path shows: a
// link every document denies ("was not in touch with"), denials beside
// statements, or names only mentioned together.
function directBox(edge, a, b, paths, co) {
  const negated = edge.evidence.filter((ev) => ev.negated);
  const direct = paths.some((p) => p.hops.length === 1);
  if (direct && !negated.length) return null;
  let says;
  if (edge.weight === 0) says = `The documents deny a direct link between ${a} and ${b}: every statement of one is negated.`;
  else if (negated.length) says = `Some documents deny a direct link between ${a} and ${b}; others state one.`;
  else if (!co) says = `${a} and ${b} are only mentioned together, which paths do not follow.`;
  else says = `${a} and ${b} are only mentioned together.`;
  return el('section', { class: `direct${edge.weight === 0 ? ' denied' : ''}` },
    el('h3', {}, edge.weight === 0 ? 'Direct link denied' : 'Direct evidence'),
    el('p', {}, says),
    evidenceList(edge.evidence));
}

function pathList(paths) {
  return el('ol', { class: 'paths' }, paths.map((p, i) => el('li', { class: 'path' },
    el('h3', {}, `Path ${i + 1}`, el('span', { class: 'n' }, plural(p.hops.length, 'hop', 'hops')),
      el('a', { class: 'chart-link', href: pageHash('/chart', { from: p.entities[0], to: p.entities[p.entities.length - 1] }) }, 'Chart')),
    el('p', { class: 'chain' }, p.entities.flatMap((id, j) => [j ? el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→') : null, entityLink(id)])),
    el('ol', { class: 'hops' }, p.hops.map(hopView)))));
}

// hopView is one step of a path: the two entities, the relation types, how
// strong the evidence is, and the evidence itself.
function hopView(hop) {
  const edge = hop.edge;
  const hedged = edge.evidence.some((ev) => ev.hedged && !ev.negated);
  const negated = edge.evidence.some((ev) => ev.negated);
  const dates = [dateOf(edge.first), dateOf(edge.last)].filter(Boolean);
  return el('li', { class: 'hop' },
    el('div', { class: 'hop-head' },
      entityLink(hop.from),
      el('span', { class: 'rels' }, edge.types.map(relation)),
      entityLink(hop.to),
      hedged ? badge('hedged', 'hedged', 'Some evidence is only alleged, believed or asked') : null,
      negated ? badge('negated', 'also denied', 'Some documents deny this link') : null,
      el('span', { class: 'strength', title: 'A stated relation counts 1, a hedged one ½, a mention together ¼, a denial 0' },
        `weight ${Number(edge.weight.toFixed(2))}`),
      dates.length ? el('span', { class: 'date' }, [...new Set(dates)].join(' – ')) : null),
    evidenceList(edge.evidence));
}

function relation(type) {
  return el('span', { class: `rel rel-${/^[a-z-]+$/.test(type) ? type : 'other'}` }, type);
}

// evidenceList quotes the first few sentences and folds the rest away.
function evidenceList(evidence) {
  const first = 3;
  const list = el('ul', { class: 'evidence' }, evidence.slice(0, first).map(evidenceItem));
  if (evidence.length <= first) return list;
  return [list, el('details', { class: 'more' },
    el('summary', {}, `${plural(evidence.length - first, 'more sentence', 'more sentences')}`),
    el('ul', { class: 'evidence' }, evidence.slice(first).map(evidenceItem)))];
}

// evidenceItem quotes one sentence a document states a relation in, with
// its two mentions and the words that state it marked, and says whether it
// is denied or hedged.
function evidenceItem(ev) {
  return el('li', { class: `ev${ev.negated ? ' negated' : ''}${ev.hedged ? ' hedged' : ''}` },
    el('div', { class: 'ev-head' },
      relation(ev.type),
      ev.negated ? badge('negated', 'negated', 'The document denies it') : null,
      ev.hedged ? badge('hedged', 'hedged', 'The document only alleges, believes or asks it') : null,
      ...(ev.weak || []).map((w) => badge('weak', `weak name “${w.text}” ${w.confidence.toFixed(2)}`,
        `Tied to its entity by a name that identifies no one alone, on context evidence: ${w.reason}`)),
      ev.cue ? el('span', { class: 'cue' }, `“${ev.cue}”`) : null),
    quote(ev.text, [ev.from_text, ev.to_text], ev.cue),
    el('div', { class: 'meta' },
      el('a', { class: 'ev-doc', href: hashOf({ doc: ev.doc }) }, ev.title || '(untitled)'),
      dateOf(ev.date) ? el('span', { class: 'date' }, dateOf(ev.date)) : null,
      chips(ev.collections)));
}

// quote shows a sentence with the given names and cue marked where they
// first occur in it.
function quote(text, names, cue) {
  const q = el('blockquote', { class: 'quote' });
  if (!text) {
    q.append(el('span', { class: 'empty' }, 'The sentence could not be quoted.'));
    return q;
  }
  const items = [];
  const find = (s, tag) => {
    const i = s ? text.indexOf(s) : -1;
    if (i >= 0) items.push({ start: i, end: i + s.length, tag });
  };
  for (const n of names) find(n, 'b');
  find(cue, 'mark');
  items.sort((a, b) => a.start - b.start || b.end - a.end);
  markUp(q, text, items, (it) => el(it.tag, { class: it.tag === 'b' ? 'arg' : 'cue' }));
  return q;
}

// ---- Judgements

const JUDGED = {
  merge: 'Merged with',
  reject: 'Judged different from',
  split: 'Split off',
  confirm: 'Confirmed the spelling',
  flag: 'Flagged for the lone-actor check',
};

// judgementSection shows what analysts decided about the entity, the
// entities that may be the same, and lets the analyst merge, keep apart or
// undo. Every judgement needs a reason, kept with it and the name of the
// user logged in.
function judgementSection(e, signal) {
  const box = el('div', { class: 'judged' });
  const reason = el('input', { id: 'judge-reason', autocomplete: 'off', maxlength: '2000' });
  const said = el('p', { class: 'said', role: 'status', hidden: true });

  // act records a judgement, then shows the entity as it now reads.
  const act = async (path, body) => {
    said.hidden = true;
    if (!reason.value.trim()) {
      said.hidden = false;
      said.className = 'said error';
      said.textContent = 'Give a reason: it is kept with the judgement, under your name.';
      reason.focus();
      return;
    }
    try {
      await send(path, { ...body, reason: reason.value.trim() }, signal);
    } catch (err) {
      if (err.name === 'AbortError') return;
      said.hidden = false;
      said.className = 'said error';
      said.textContent = err.message;
      return;
    }
    known.clear();
    route();
  };

  fill(box, 'Loading judgements…', async (s) => {
    const [j, p] = await Promise.all([
      api(`entities/${e.id}/judgements`, null, s),
      api(`entities/${e.id}/proposals`, null, s),
    ]);
    // The server may answer null for none.
    const proposed = p.proposals || [];
    for (const c of proposed) remember(c.id, c.name, c.kind);
    await namesOf(j.judgements.flatMap((x) => [x.entity, x.other]), s);
    const proposals = proposed.length
      ? el('ul', { class: 'proposals' }, proposed.map((c) => el('li', {},
        el('div', {}, entityLink(c.id),
          el('span', { class: 'n', title: c.comparison.match ? 'The names match' : 'The names are alike' }, c.comparison.score.toFixed(2))),
        el('p', { class: 'hint' }, `“${c.other}” here, “${c.name}” there`,
          c.shared && c.shared.length ? `; both named with ${c.shared.join(', ')}` : ''),
        el('div', { class: 'actions' },
          el('button', { type: 'button', class: 'btn', onclick: () => act('judgements', { kind: 'merge', entity: e.id, other: c.id }) }, 'Same entity'),
          el('button', { type: 'button', class: 'btn', onclick: () => act('judgements', { kind: 'reject', entity: e.id, other: c.id }) }, 'Different')))))
      : el('p', { class: 'empty' }, 'No other entity has a name like it.');
    const history = j.judgements.length
      ? el('ol', { class: 'history' }, j.judgements.map((x) => el('li', { class: x.undone ? 'undone' : null },
        el('div', {},
          el('strong', {}, JUDGED[x.kind] || x.kind), ' ',
          x.name ? el('q', {}, x.name) : null,
          x.name && x.other ? ' into ' : null,
          x.other ? entityLink(x.kind === 'split' || x.other !== e.id ? x.other : x.entity) : null),
        el('p', { class: 'reason' }, x.reason),
        el('div', { class: 'meta' }, `${x.user}, ${dateOf(x.made)}`,
          x.undone
            ? el('span', { class: 'badge undone' }, `undone by ${x.undone_by}, ${dateOf(x.undone)}: ${x.undo_reason}`)
            : el('button', { type: 'button', class: 'btn small', onclick: () => act(`judgements/${x.id}/undo`, {}) }, 'Undo')))))
      : el('p', { class: 'empty' }, 'No judgement yet: resolution alone tied these names.');
    // A flagged person is checked for links to groups like one the
    // documents call a lone actor; the flag is undone from the history.
    const flagged = j.judgements.some((x) => x.kind === 'flag' && !x.undone);
    const flag = e.kind !== 'PERSON' ? null : flagged
      ? el('p', { class: 'flag' }, badge('flagged', 'flagged'), ' The ', el('a', { href: '#/lone-actors' }, 'lone-actor check'), ' looks for their links to groups.')
      : el('div', { class: 'actions flag' },
        el('button', { type: 'button', class: 'btn', onclick: () => act('judgements', { kind: 'flag', entity: e.id }) }, 'Flag for the lone-actor check'));
    return [
      flag,
      el('h3', {}, 'May be the same as'), proposals,
      el('h3', {}, 'History'), history,
    ];
  }, signal);

  return el('section', { class: 'block judgements', 'aria-labelledby': 'judgements-title' },
    el('h2', { id: 'judgements-title' }, 'Judgements'),
    el('div', { class: 'judge-who' },
      el('label', { for: 'judge-reason' }, 'Reason'), reason),
    said, box);
}

// peopleFor lists the people and organisations named like a search, above
// its results. It stays hidden when there are none.
function peopleFor(q, signal) {
  const box = el('section', { class: 'people', 'aria-labelledby': 'people-title' });
  // Query syntax is no part of a name.
  const name = q.replace(/["*()]|\b(OR|AND)\b|(^|\s)-\S*|\S+:\S*/g, ' ').trim();
  if (!name) {
    box.hidden = true;
    return box;
  }
  fill(box, null, async (s) => {
    const r = await api('entities', { name, limit: 8 }, s);
    for (const c of r.entities) remember(c.id, c.name, c.kind);
    if (!r.entities.length) return [];
    return [el('h2', { id: 'people-title' }, 'People & organisations'),
      el('ul', {}, r.entities.map((c) => el('li', {}, entityLink(c.id),
        c.matched && c.matched !== c.name ? el('span', { class: 'matched' }, `as “${c.matched}”`) : null))),
      r.entities.length > 1 ? chartLink(r.entities.map((c) => c.id), 'Chart these', 'Draw these entities and the links among them') : null];
  }, signal);
  return box;
}

// chartLink opens the link chart on a list of entities and the links
// among them (#/chart?entities=ID,ID,...).
function chartLink(ids, label, title) {
  return el('a', { class: 'btn chart-link', href: pageHash('/chart', { entities: ids.join(',') }), title }, label);
}

// ---- The network's cells and central figures

// networkView shows the communities (cells) of the evidence network and
// who ranks highest by betweenness, PageRank and degree, each kind of
// entity apart: brokers are people first, then organisations; places are
// context, ranked only by how many they link. Following names
// merely mentioned together is a setting kept in the hash, as on the
// entity view.
function networkView(p, signal) {
  const state = { co: p.get('co') === '1' };
  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, 'Network'),
    el('span', { class: 'for' }, 'Cells and central figures of the evidence network'));
  const intro = el('p', { class: 'hint intro' },
    'Entities linked by relations the documents state, split into cells: groups linked more among themselves than to the rest ',
    '(Louvain communities). Brokers lie on the shortest paths between others (betweenness); PageRank favours those linked to the well linked; ',
    'degree counts whom each is linked to. People, organisations and places are ranked apart: a place many reports name is context, not a broker. ',
    'Denied relations link no one; hedged ones count half.');
  const co = el('input', { type: 'checkbox', id: 'network-co', checked: state.co });
  const controls = el('div', { class: 'controls' }, el('label', { class: 'check' }, co, 'Follow names mentioned together'));
  const box = el('div', { class: 'network-analysis', 'aria-live': 'polite' });
  const load = () => fill(box, 'Finding the cells and central figures…', async (s) => {
    const r = await api('network', { top: 20, cooccurrence: state.co ? 1 : '' }, s);
    const kinds = r.by_kind || [];
    const labels = [...r.communities.largest.flatMap((c) => c.members), ...r.betweenness.top, ...r.pagerank, ...r.degree,
      ...kinds.flatMap((k) => [...k.betweenness, ...k.pagerank, ...k.degree])];
    for (const l of labels) remember(l.id, l.node, l.kind);
    if (!r.nodes) {
      return [el('p', { class: 'empty' }, state.co
        ? 'No relation and no shared sentence links any two entities.'
        : 'No stated relation links any two entities (names merely mentioned together are not followed).')];
    }
    const cm = r.communities;
    const b = r.betweenness;
    const sampling = b.sampled
      ? `Estimated from ${plural(b.sources, 'sampled source', 'sampled sources')}, not exact: the network is large.`
      : 'Exact, from every entity.';
    const people = kinds.find((k) => k.kind === 'PERSON') || { betweenness: [], pagerank: [], degree: [] };
    const places = kinds.find((k) => k.kind === 'LOCATION');
    const brokers = kinds.filter((k) => k.kind !== 'LOCATION');
    if (!brokers.length) brokers.push({ kind: 'PERSON', title: 'people', betweenness: [] });
    return [
      el('p', { class: 'path-summary' },
        `${plural(r.nodes, 'entity', 'entities')} linked in ${plural(r.edges, 'pair', 'pairs')}; ${plural(cm.count, 'cell', 'cells')}, `,
        el('span', { class: 'modularity', title: 'How much more the cells are linked within than chance would have it: 0 not at all, towards 1 sharply apart' },
          `modularity ${cm.modularity.toFixed(2)}`),
        cm.resolution !== 1 ? ` at resolution ${cm.resolution}` : '', '.'),
      el('section', { class: 'cells-block', 'aria-labelledby': 'cells-title' },
        el('h2', { id: 'cells-title' }, 'Cells ',
          el('span', { class: 'n' }, cm.largest.length < cm.count ? `the largest ${count(cm.largest.length)} of ${count(cm.count)}` : count(cm.count))),
        el('ol', { class: 'cells' }, cm.largest.map((c, i) => el('li', { class: 'cell block', 'data-size': c.size },
          el('h3', {}, `Cell ${i + 1}`, el('span', { class: 'n' }, plural(c.size, 'member', 'members'))),
          chartLink(c.members.map((m) => m.id), 'Chart this cell', `Draw the ${c.members.length} members listed and the links among them`),
          el('ul', { class: 'entity-list' }, c.members.map((m) => el('li', {}, entityLink(m.id)))),
          c.size > c.members.length
            ? el('p', { class: 'hint' }, `and ${count(c.size - c.members.length)} more, of lower PageRank`)
            : null)))),
      el('div', { class: 'rankings' },
        ...brokers.map((k, i) => ranking(`brokers ${kindClass(k.kind)}`, `Brokers: ${k.title}`, 'by betweenness', k.betweenness, score,
          i === 0 ? sampling : null)),
        ranking('pagerank', 'PageRank: people', 'linked to the well linked', people.pagerank, score),
        ranking('degree', 'Degree: people', 'linked to the most others', people.degree, links),
        places ? ranking('places', 'Places', 'context, not brokers: linked to the most others', places.degree, links) : null),
    ];
  }, signal);
  co.addEventListener('change', () => {
    state.co = co.checked;
    if (!signal.aborted) history.replaceState(null, '', pageHash('/network', { co: state.co ? 1 : '' }));
    load();
  });
  load();
  document.title = 'Network · Mosaic';
  return { nodes: [head, intro, controls, box], status: 'Network: cells and central figures' };
}

// kindClass names a kind of entity for a class: "people", "org", "misc".
function kindClass(kind) {
  return { PERSON: 'people', ORG: 'org', MISC: 'misc', LOCATION: 'places' }[kind] || 'other';
}

// links shows a degree.
function links(n) {
  return plural(n, 'link', 'links');
}

// score shows a centrality with three significant digits.
function score(n) {
  return n >= 1000 ? count(Math.round(n)) : Number(n.toPrecision(3)).toString();
}

function ranking(cls, title, what, ranked, show, note) {
  const id = `${cls.replace(/ /g, '-')}-title`;
  return el('section', { class: `block ranking ${cls}`, 'aria-labelledby': id },
    el('h2', { id }, title, ' ', el('span', { class: 'n' }, what)),
    note ? el('p', { class: `hint${cls.startsWith('brokers') ? ' sampling' : ''}` }, note) : null,
    ranked.length
      ? el('ol', { class: 'entity-list ranked' }, ranked.map((x) => el('li', {}, entityLink(x.id), el('span', { class: 'n' }, show(x.score)))))
      : el('p', { class: 'empty' }, 'No one.'));
}

// ---- The lone-actor check

function loneActorsView(signal) {
  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, 'Lone-actor check'),
    el('span', { class: 'for' }, 'Who the documents call a lone actor, and whether the evidence links them to a group'));
  const intro = el('p', { class: 'hint intro' },
    'People a document calls a lone actor (“acted alone”, “lone wolf”, “self-radicalised”) or an analyst flagged, ',
    'with the shortest path of stated relations to an organisation some document makes someone a member of, or to such a member.');
  const box = el('div', { class: 'lone-actors' });
  fill(box, 'Reading the documents for lone-actor claims and searching the network…', async (s) => {
    const r = await api('lone-actors', null, s);
    for (const la of r.lone_actors) remember(la.person, la.name, 'PERSON');
    for (const [id, name] of Object.entries(r.names)) remember(id, name, r.kinds[id]);
    if (!r.lone_actors.length) {
      return [el('p', { class: 'empty' }, 'No document calls anyone a lone actor, and no one is flagged.')];
    }
    const linked = r.lone_actors.filter((la) => la.linked).length;
    return [
      el('p', { class: 'path-summary' },
        `${plural(r.lone_actors.length, 'person', 'people')}; ${count(linked)} linked to a group or a member of one.`),
      el('ol', { class: 'actors' }, r.lone_actors.map(actorItem)),
    ];
  }, signal);
  document.title = 'Lone-actor check · Mosaic';
  return { nodes: [head, intro, box], status: 'Lone-actor check' };
}

function actorItem(la) {
  const target = known.get(Number(la.target));
  // A person only flagged comes with no claims: null, not [].
  const claims = la.claims || [];
  return el('li', { class: `actor${la.linked ? ' linked' : ''}` },
    el('h2', {}, entityLink(la.person),
      la.flagged ? badge('flagged', 'flagged', 'An analyst flagged this person') : null,
      la.linked ? badge('linked', 'linked to a group') : badge('unlinked', 'no link found')),
    claims.length
      ? el('ul', { class: 'claims' }, claims.map((c) => el('li', {},
        quote(c.text, [la.name], ''),
        el('div', { class: 'meta' }, el('a', { href: hashOf({ doc: c.doc }) }, c.title || '(untitled)')))))
      : el('p', { class: 'empty' }, 'No document calls them a lone actor; an analyst flagged them.'),
    la.linked
      ? [el('p', { class: 'verdict' }, 'Linked to ', entityLink(la.target),
        target && target.kind === 'ORG' ? ', a group,' : ', a member of a group,',
        ` in ${plural(la.path.hops.length, 'hop', 'hops')}: `,
        el('a', { class: 'chart-link', href: pageHash('/chart', { from: la.person, to: la.target }) }, 'Chart the path')),
      el('ol', { class: 'hops' }, la.path.hops.map(hopView))]
      : el('p', { class: 'verdict none' }, 'No path of stated relations links them to a known group or a member of one.'));
}

// ---- Other agencies

// What a discovery query was read as, for the sentences that name it.
const SUBJECT_KIND = { name: 'name', phone: 'phone number', email: 'e-mail address' };

// bucketText words a discovery bucket (store.Bucket): the server never
// tells the exact count, only which of these ranges it falls in.
function bucketText(b) {
  if (b === '1') return '1 document';
  if (b === 'more') return 'more than 20 documents';
  return `${b} documents`;
}

// countPending shows in the sidebar how many requests to share wait for
// the user's agency to decide, as the page of other agencies last read
// them. It reads them only there: a server may serve no shares, and the
// page asks nothing of it until the user goes to that page.
function countPending(shares) {
  const n = $('#agencies-pending');
  const waiting = shares.filter((x) => x.owner === me.agency && x.status === 'pending').length;
  n.textContent = count(waiting);
  n.setAttribute('aria-label', `${plural(waiting, 'request', 'requests')} to decide`);
  n.hidden = waiting === 0;
}

// agenciesView is the page for dealing with other agencies: which of them
// hold material on a person, organisation, phone number or e-mail address
// (only the agency and roughly how much, never the material), the requests
// to share made by and to the user's agency, and the alerts that another
// agency's material names someone the user's does.
function agenciesView(p, signal) {
  if (!mayDeal()) throw new Error('Only analysts and admins deal with other agencies.');
  const q = (p.get('q') || '').trim();
  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, 'Other agencies'),
    el('span', { class: 'for' }, `What other agencies hold, and what they share with ${me.agency}`));

  const input = el('input', {
    id: 'discover-q', type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: '256',
    placeholder: 'A name, phone number or e-mail address',
  });
  input.value = q;
  const form = el('form', { class: 'path-form discover-form', role: 'search' },
    input, el('button', { type: 'submit', class: 'btn primary' }, 'Ask'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const v = input.value.trim();
    if (!v) {
      input.focus();
      return;
    }
    const hash = pageHash('/agencies', { q: v });
    if (location.hash === hash) route();
    else location.hash = hash;
  });

  const shares = el('div', { class: 'shares' });
  const loadShares = () => fill(shares, 'Loading requests…', (s) => shareLists(s, loadShares), signal);
  const holders = el('div', { class: 'holders' });
  if (q) fill(holders, 'Asking the other agencies…', (s) => holderList(q, s, loadShares), signal);
  else holders.hidden = true;
  const alerts = el('div', { class: 'alerts' });
  fill(alerts, 'Loading alerts…', alertList, signal);
  loadShares();

  const main = el('div', { class: 'profile' },
    el('section', { class: 'block discover', 'aria-labelledby': 'discover-title' },
      el('h2', { id: 'discover-title' }, el('label', { for: 'discover-q' }, 'Who else holds material on…')),
      el('p', { class: 'hint' },
        'Other agencies answer only whether they hold documents on it, and roughly how many; ',
        'ask one to share them and it decides.'),
      form, holders),
    el('section', { class: 'block', 'aria-labelledby': 'shares-title' },
      el('h2', { id: 'shares-title' }, 'Requests to share'), shares));
  const side = el('aside', { class: 'side' },
    el('section', { class: 'block', 'aria-labelledby': 'alerts-title' },
      el('h2', { id: 'alerts-title' }, 'Alerts'), alerts));

  document.title = `${q ? q + ' · ' : ''}Other agencies · Mosaic`;
  return { nodes: [head, el('div', { class: 'entityview agencies' }, main, side)], status: 'Other agencies' };
}

// holderList asks which other agencies hold material on q, each with a
// button to ask it to share.
async function holderList(q, signal, sent) {
  const r = await api('discover', { q }, signal);
  const what = SUBJECT_KIND[r.kind] || r.kind;
  const peers = peerList(r.peers || []);
  if (!r.holders.length) {
    return [el('p', { class: 'empty no-holder' }, `No other agency holds material on this ${what}: `, el('q', {}, r.query), '.'), ...peers];
  }
  return [
    el('p', { class: 'path-summary' },
      `${plural(r.holders.length, 'agency holds', 'agencies hold')} material on the ${what} `, el('q', {}, r.query), ':'),
    el('ul', { class: 'holder-list' }, r.holders.map((h) => holderItem(r.query, h, sent))),
    ...peers,
  ];
}

// peerList shows the agencies of other servers whose exported discovery
// index matches the query: hit or no hit, with a rough count. A share is
// asked of them outside Mosaic, since their servers share nothing.
function peerList(peers) {
  if (!peers.length) return [];
  return [
    el('p', { class: 'path-summary' }, 'On other servers (their exported discovery index):'),
    el('ul', { class: 'holder-list peer-list' }, peers.map((p) =>
      el('li', { class: 'holder', 'data-peer': p.peer },
        el('strong', {}, p.agency), ` at ${p.peer} `, el('span', { class: 'bucket' }, bucketText(p.documents))))),
  ];
}

// holderItem is one agency holding material, with a short form to ask it
// to share: the reason goes to the agency, which decides.
function holderItem(query, h, sent) {
  const item = el('li', { class: 'holder', 'data-agency': h.agency });
  const ask = el('button', { type: 'button', class: 'btn small' }, 'Request a share');
  const reason = el('input', { class: 'reason', autocomplete: 'off', maxlength: '2000', 'aria-label': `Why you need ${h.agency}'s material` });
  const said = el('p', { class: 'said', role: 'status', hidden: true });
  const form = el('form', { class: 'share-form', hidden: true },
    el('label', {}, `Why you need it (${h.agency} reads this)`, reason),
    el('div', { class: 'actions' },
      el('button', { type: 'submit', class: 'btn primary' }, 'Send request'),
      el('button', { type: 'button', class: 'btn', onclick: () => { form.hidden = true; ask.hidden = false; } }, 'Cancel')));
  const tell = (cls, ...text) => {
    said.hidden = false;
    said.className = `said ${cls}`;
    said.replaceChildren(...text);
  };
  ask.addEventListener('click', () => {
    form.hidden = false;
    ask.hidden = true;
    reason.focus();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    said.hidden = true;
    if (!reason.value.trim()) {
      tell('error', `Say why you need the material: ${h.agency} decides on it.`);
      reason.focus();
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const r = await send('shares', { query, owner: h.agency, reason: reason.value.trim() });
      form.remove();
      tell('done', `Request sent to ${r.owner}: it waits for their decision (see below).`);
      sent();
    } catch (err) {
      tell('error', err.message);
    } finally {
      button.disabled = false;
    }
  });
  item.append(
    el('div', { class: 'holder-head' },
      el('strong', { class: 'holder-agency' }, h.agency),
      badge('bucket', bucketText(h.documents), 'Roughly how many of their documents name it'),
      ask),
    form, said);
  return item;
}

const SHARE_STATUS = { pending: 'pending', approved: 'approved', refused: 'refused' };

// shareLists shows the requests made to the user's agency, with a decision
// form on each pending one, and those it made. An approved request of its
// own grants a collection: the sidebar is read again to show it.
async function shareLists(signal, again) {
  const r = await api('shares', null, signal);
  countPending(r.shares);
  const toUs = r.shares.filter((x) => x.owner === me.agency);
  const byUs = r.shares.filter((x) => x.agency === me.agency);
  if (byUs.some((x) => x.status === 'approved' && x.collection && !collections.some((c) => c.name === x.collection))) {
    loadCollections();
  }
  return [
    el('h3', {}, `Asked of ${me.agency}`, el('span', { class: 'n' }, count(toUs.length))),
    toUs.length
      ? el('ol', { class: 'share-list asked-of' }, toUs.map((x) => shareItem(x, true, again)))
      : el('p', { class: 'empty' }, 'No agency has asked yours to share.'),
    el('h3', {}, `Asked by ${me.agency}`, el('span', { class: 'n' }, count(byUs.length))),
    byUs.length
      ? el('ol', { class: 'share-list asked-by' }, byUs.map((x) => shareItem(x, false, again)))
      : el('p', { class: 'empty' }, 'Yours has asked no agency to share. Ask above who holds material on someone.'),
  ];
}

// shareItem is one request. ours is set for a request to the user's
// agency, which it decides.
function shareItem(x, ours, again) {
  const status = SHARE_STATUS[x.status] || 'unknown';
  return el('li', { class: `share share-${status}`, 'data-share': x.id },
    el('div', { class: 'share-head' },
      ours ? el('strong', {}, x.agency) : ['To ', el('strong', {}, x.owner)],
      ': material on ', el('q', { class: 'share-query' }, x.query),
      ' ', badge(`status-${status}`, x.status)),
    el('p', { class: 'reason' }, x.reason),
    el('div', { class: 'meta' }, `asked by ${x.user}, ${dateOf(x.created)}`),
    x.status === 'pending'
      ? (ours ? decisionForm(x, again) : null)
      : el('p', { class: 'answer' },
        `${x.status === 'approved' ? 'Approved' : 'Refused'}${x.decided_by ? ` by ${x.decided_by}` : ''}${dateOf(x.decided) ? `, ${dateOf(x.decided)}` : ''}: `,
        el('span', { class: 'answer-text' }, x.answer || '')),
    x.collection
      ? el('p', { class: 'answer' }, 'Shared as the collection ', el('a', { href: hashOf({ collection: x.collection }), class: 'chip' }, x.collection))
      : null);
}

// decisionForm approves or refuses a request to the user's agency, with an
// answer the requesting agency reads. Approving shares every document the
// agency holds on the request's subject, as a new collection.
function decisionForm(x, again) {
  const answer = el('input', { class: 'answer-input', autocomplete: 'off', maxlength: '2000', 'aria-label': `Answer to ${x.agency}` });
  const said = el('p', { class: 'said error', role: 'alert', hidden: true });
  const buttons = [];
  const decide = async (approve) => {
    said.hidden = true;
    if (!answer.value.trim()) {
      said.hidden = false;
      said.textContent = `Give an answer: ${x.agency} reads it with the decision.`;
      answer.focus();
      return;
    }
    for (const b of buttons) b.disabled = true;
    try {
      await send(`shares/${x.id}/decision`, { approve, answer: answer.value.trim() });
    } catch (err) {
      said.hidden = false;
      said.textContent = err.message;
      for (const b of buttons) b.disabled = false;
      return;
    }
    again();
  };
  buttons.push(
    el('button', { type: 'button', class: 'btn primary', onclick: () => decide(true) }, 'Approve'),
    el('button', { type: 'button', class: 'btn', onclick: () => decide(false) }, 'Refuse'));
  return el('div', { class: 'decision' },
    el('label', {}, 'Answer', answer),
    el('div', { class: 'actions' }, buttons),
    said);
}

// alertList shows the alerts that another agency's material names someone
// the user's agency's does, each name linking to its profile.
async function alertList(signal) {
  const r = await api('alerts', null, signal);
  if (!r.alerts.length) {
    return [el('p', { class: 'empty' }, 'No alert: no other agency’s new material names anyone yours does.')];
  }
  const name = (a) => el('a', { class: 'entity', href: entityHash(a.entity), 'data-entity': a.entity }, a.name);
  return [el('ul', { class: 'alert-list' }, r.alerts.map((a) => el('li', { class: a.theirs ? 'theirs' : 'ours' },
    el('p', {}, a.theirs
      ? ['New material of ', el('strong', {}, a.other), ' names ', name(a)]
      : [el('strong', {}, a.other), ' holds material on ', name(a), ' you just loaded']),
    dateOf(a.created) ? el('span', { class: 'date' }, dateOf(a.created)) : null)))];
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

// markCollection highlights the collection being listed, if any, or the
// page of the sidebar's tools being shown.
function markCollection() {
  const { path, params: p } = routeOf(location.hash);
  const listed = path || p.has('doc') || p.has('search') ? null : (p.get('collection') || '');
  for (const a of document.querySelectorAll('#collections a')) {
    if (a.dataset.collection === listed) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  for (const a of document.querySelectorAll('#tools a')) {
    if (a.dataset.page === path) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- Routing

// shown cancels the requests of the view on screen, or of the one being
// loaded: parts of a view (neighbours, paths) load after it is shown, and
// leaving the view must stop them writing into the next one.
let shown = null;

function showError(msg) {
  const box = $('#error');
  box.hidden = !msg;
  box.textContent = msg || '';
}

async function route() {
  const { path, params: p } = routeOf(location.hash);
  const offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  if (shown) shown.abort();
  const ac = (shown = new AbortController());
  $('#stale').hidden = true;
  markCollection();
  try {
    let view;
    const entity = /^\/entity\/([0-9]{1,18})$/.exec(path);
    if (entity) view = await entityView(entity[1], p, ac.signal);
    else if (path === '/lone-actors') view = loneActorsView(ac.signal);
    else if (path === '/network') view = networkView(p, ac.signal);
    else if (path === '/agencies') view = agenciesView(p, ac.signal);
    else if (findView(path)) {
      const { render, match } = findView(path);
      view = await render(match, p, ac.signal);
    } else if (path) throw new Error(`There is no page ${path}.`);
    else if (p.has('doc')) view = await docView(p.get('doc'), Math.max(1, parseInt(p.get('page') || '1', 10) || 1), ac.signal);
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
  $('#login-form').addEventListener('submit', logIn);
  $('#logout').addEventListener('click', logOut);
  api('me').then((m) => {
    signedIn(m);
    return loadCollections().then(() => route());
  }, (err) => {
    // A 401 has shown the login form already.
    if (!document.body.classList.contains('anon')) showError(err.message);
  });
}

start();

// What the views in other modules use of this one.
export {
  $, el, svgEl, SVG_NS, api, send, hashOf, routeOf, pageHash, entityHash, count, plural, dateOf,
  kindClass, typeClass, entityLink, remember, nameOf, namesOf, evidenceList, relation, showError,
  mayDeal, badge, fact, hopView, loadCollections, answer,
};
