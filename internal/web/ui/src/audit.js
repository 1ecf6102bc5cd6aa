// The audit view (#/audit?user=&action=&since=&until=): the admin's
// agency's entries of the audit log, newest first, filtered as
// GET /api/v1/audit filters them, a page at a time, and the hash chain's
// verdict (GET /api/v1/audit/verify). The filters live in the hash.

import { el, api, pageHash, plural } from './app.js';
import { view } from './views.js';
import { requireAdmin, when } from './admin.js';
import './admin.css';

const FILTERS = ['user', 'action', 'since', 'until'];
const PAGE = 100;

// ACTIONS are those the server records, offered as the action filter's
// suggestions; any other may be typed.
const ACTIONS = [
  'login', 'login-failed', 'logout', 'auth-failed', 'search', 'read-document', 'read-entity', 'find-entity',
  'list-documents', 'list-collections', 'discover', 'judge', 'judge-undo', 'export', 'analyse',
  'share-request', 'share-decision', 'list-shares', 'list-alerts', 'save-chart', 'read-chart', 'delete-chart',
  'user-add', 'password-reset', 'token-add', 'token-revoke', 'grant', 'grant-revoke', 'list-users',
  'list-grants', 'list-queue', 'audit-read', 'audit-verify',
];

async function auditView(_match, params, signal) {
  const m = await requireAdmin(signal);
  const f = {};
  for (const k of FILTERS) {
    const v = (params.get(k) || '').trim();
    if (v) f[k] = v;
  }
  const [page, verdict] = await Promise.all([
    api('audit', { ...f, limit: PAGE }, signal),
    api('audit/verify', null, signal),
  ]);

  const rows = el('tbody', {});
  const more = el('button', { type: 'button', class: 'btn' }, 'Older entries');
  const summary = el('p', { class: 'path-summary', role: 'status' });
  let shown = 0;
  const add = (p) => {
    rows.append(...p.entries.map(entryRow));
    shown += p.entries.length;
    summary.textContent = shown
      ? `${plural(shown, 'entry', 'entries')} of ${m.user.agency}, newest first${p.next ? '; there are older ones' : ''}.`
      : 'No entry matches.';
    more.hidden = !p.next;
    more.onclick = async () => {
      more.disabled = true;
      try {
        add(await api('audit', { ...f, limit: PAGE, cursor: p.next }, signal));
      } finally {
        more.disabled = false;
      }
    };
  };
  add(page);

  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, 'Audit log'),
    el('span', { class: 'for' }, `Who read and did what in ${m.user.agency}`));
  const body = el('div', { class: 'audit' },
    verdictBox(verdict),
    filterForm(f),
    summary,
    el('table', { class: 'admin-table audit-table' },
      el('caption', { class: 'visually-hidden' }, 'Audit entries, newest first'),
      el('thead', {}, el('tr', {}, ['#', 'Time', 'User', 'Action', 'Object', 'Outcome'].map((h) => el('th', { scope: 'col' }, h)))),
      rows),
    more);
  document.title = 'Audit log · Mosaic';
  return { nodes: [head, body], status: summary.textContent };
}

// entryRow is one entry; its object (a query, a document ID) is text.
function entryRow(e) {
  return el('tr', { 'data-seq': e.seq, 'data-action': e.action, class: e.outcome === 'ok' ? '' : 'refused' },
    el('td', {}, String(e.seq)),
    el('td', { class: 'time' }, el('time', { datetime: e.time }, when(e.time))),
    el('td', {}, e.user || '(no one)'),
    el('td', {}, e.action),
    el('td', { class: 'object' }, e.object),
    el('td', {}, e.outcome));
}

// verdictBox says whether the hash chain holds, as mosaic audit verify.
function verdictBox(v) {
  if (v.intact) {
    return el('p', { class: 'verdict intact', 'data-intact': 'true' },
      el('strong', {}, 'Chain intact: '),
      `${plural(v.entries, 'entry', 'entries')} of the whole log verified; head `,
      el('code', { title: 'Keep this hash elsewhere: a log rewritten from the start would end in another' }, v.head || '(empty log)'));
  }
  return el('p', { class: 'verdict broken', 'data-intact': 'false', role: 'alert' },
    el('strong', {}, `Chain broken at entry ${v.break.seq} of ${v.entries}: `), v.break.reason);
}

// filterForm sets the filters in the hash.
function filterForm(f) {
  const input = (k, attrs) => {
    const i = el('input', { id: `audit-${k}`, name: k, autocomplete: 'off', spellcheck: 'false', ...attrs });
    i.value = f[k] || '';
    return i;
  };
  const list = el('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => el('option', { value: a })));
  const fields = {
    user: input('user', { maxlength: '200' }),
    action: input('action', { list: 'audit-actions', maxlength: '100' }),
    since: input('since', { type: 'date' }),
    until: input('until', { type: 'date' }),
  };
  const form = el('form', { class: 'admin-form audit-filter', 'aria-label': 'Filter the audit log' },
    el('label', { for: 'audit-user' }, 'User'), fields.user,
    el('label', { for: 'audit-action' }, 'Action'), fields.action, list,
    el('label', { for: 'audit-since' }, 'From'), fields.since,
    el('label', { for: 'audit-until' }, 'To'), fields.until,
    el('button', { type: 'submit', class: 'btn primary' }, 'Filter'),
    el('a', { class: 'btn', href: '#/audit' }, 'Clear'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const p = {};
    for (const k of FILTERS) p[k] = fields[k].value.trim();
    location.hash = pageHash('/audit', p);
  });
  return form;
}

view(/^\/audit$/, auditView);
