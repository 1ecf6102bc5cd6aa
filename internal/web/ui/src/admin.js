// The admin page (#/admin): the users of the admin's agency with their
// role, clearance and tokens, a form to create one, a password reset and
// tokens issued and revoked; the grants of the agency's collections to
// other agencies, with a form to make one. A password or token is shown
// once, as the server answers it once. Only admins are served; the sidebar
// shows the page's link (and the audit view's) to them alone.

import { $, el, api, send, plural } from './app.js';
import { view } from './views.js';
import './admin.css';

// CLASSIFICATIONS are store.Classifications, lowest first.
export const CLASSIFICATIONS = ['UNCLASSIFIED', 'RESTRICTED', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'];
const ROLES = ['analyst', 'viewer', 'admin'];

// whoAmI asks the server who is logged in, with the session's CSRF token.
export async function whoAmI(signal) {
  return api('me', null, signal);
}

// requireAdmin returns the caller, or throws unless they are an admin.
export async function requireAdmin(signal) {
  const m = await whoAmI(signal);
  if (m.user.role !== 'admin') throw new Error('Only admins manage the agency and read its audit log.');
  return m;
}

// when writes a time of the API as "2026-12-06 03:31", in the reader's zone.
export function when(s) {
  if (!s || s.startsWith('0001-')) return '';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// secretBox shows a password or token once, with a button to copy it.
function secretBox(what, secret) {
  const code = el('code', { class: 'secret-value' }, secret);
  const said = el('span', { class: 'copied', role: 'status' });
  const copy = el('button', { type: 'button', class: 'btn small' }, 'Copy');
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(secret);
      said.textContent = 'Copied.';
    } catch {
      // No clipboard (an insecure origin): select it for the reader.
      getSelection().selectAllChildren(code);
      said.textContent = 'Selected: press Ctrl+C.';
    }
  });
  const close = el('button', { type: 'button', class: 'btn small' }, 'Done');
  const box = el('div', { class: 'secret', role: 'alert' },
    el('p', {}, what, ' It is shown this once: copy it now and hand it over by a safe way.'),
    el('p', { class: 'secret-line' }, code, copy, said),
    close);
  close.addEventListener('click', () => box.remove());
  return box;
}

// adminView renders #/admin.
async function adminView(_match, _params, signal) {
  const m = await requireAdmin(signal);
  const admin = m.user;
  const secrets = el('div', { class: 'secrets' });
  const reveal = (what, secret) => {
    secrets.replaceChildren(secretBox(what, secret));
    secrets.querySelector('.secret-value').scrollIntoView({ block: 'nearest' });
  };
  const said = el('p', { class: 'error', role: 'alert', hidden: true });
  const tell = (msg) => {
    said.hidden = !msg;
    said.textContent = msg || '';
  };
  // act runs a change, then reads the lists again; its error is shown.
  const act = async (fn) => {
    tell(null);
    try {
      await fn();
    } catch (err) {
      tell(err.message);
    }
    await Promise.all([loadUsers(), loadGrants()]).catch((err) => tell(err.message));
  };

  const users = el('div', { class: 'admin-users' }, el('p', { class: 'empty' }, 'Loading users…'));
  const loadUsers = async () => {
    const r = await api('admin/users', null, signal);
    users.replaceChildren(userTable(r.users, admin, reveal, act));
  };
  const grants = el('div', { class: 'admin-grants' }, el('p', { class: 'empty' }, 'Loading grants…'));
  const loadGrants = async () => {
    const r = await api('admin/grants', null, signal);
    grants.replaceChildren(grantTable(r.grants, act), grantForm(r, act));
  };
  await Promise.all([loadUsers(), loadGrants()]);
  const queue = el('div', { class: 'admin-queue', 'aria-live': 'polite' }, el('p', { class: 'empty' }, 'Loading the queue…'));
  followQueue(queue, signal);

  const head = el('div', { class: 'view-head' },
    el('h1', { tabindex: '-1' }, 'Administration'),
    el('span', { class: 'for' }, `Users, tokens and grants of ${admin.agency}`));
  const body = el('div', { class: 'admin' },
    said, secrets,
    el('section', { class: 'block', 'aria-labelledby': 'users-title' },
      el('h2', { id: 'users-title' }, 'Users'), users, userForm(admin, reveal, act)),
    el('section', { class: 'block', 'aria-labelledby': 'grants-title' },
      el('h2', { id: 'grants-title' }, `Grants of ${admin.agency}'s collections`), grants),
    el('section', { class: 'block', 'aria-labelledby': 'queue-title' },
      el('h2', { id: 'queue-title' }, `Ingest queue of ${admin.agency}`), queue));
  document.title = 'Administration · Mosaic';
  return { nodes: [head, body], status: `Administration of ${admin.agency}` };
}

// userTable lists the users with their tokens and what an admin may do.
function userTable(users, admin, reveal, act) {
  if (!users.length) return el('p', { class: 'empty' }, 'No users.');
  const rows = users.map((u) => {
    const active = !u.disabled;
    const tokens = u.tokens.map((t) => el('li', { class: 'token', 'data-token': t.id },
      el('span', {}, `#${t.id} ${t.label || '(no label)'}, ${when(t.created)}`),
      t.revoked
        ? el('span', { class: 'badge revoked' }, `revoked ${when(t.revoked)}`)
        : el('button', {
          type: 'button', class: 'btn small', 'aria-label': `Revoke token ${t.id} of ${u.name}`,
          onclick: () => act(() => send(`admin/tokens/${t.id}`, undefined, undefined, 'DELETE')),
        }, 'Revoke')));
    const label = el('input', { class: 'token-label', maxlength: '200', placeholder: 'label', 'aria-label': `Label of a new token for ${u.name}` });
    const issue = el('button', {
      type: 'button', class: 'btn small',
      onclick: () => act(async () => {
        const r = await send(`admin/users/${encodeURIComponent(u.name)}/tokens`, { label: label.value.trim() });
        reveal(`New API token of ${u.name}:`, r.secret);
      }),
    }, 'Issue token');
    const reset = el('button', {
      type: 'button', class: 'btn small',
      onclick: () => {
        if (!confirm(`Give ${u.name} a new password? The old one stops working.`)) return;
        act(async () => {
          const r = await send(`admin/users/${encodeURIComponent(u.name)}/password`, {});
          reveal(`New password of ${u.name}:`, r.password);
        });
      },
    }, 'Reset password');
    return el('tr', { 'data-user': u.name },
      el('th', { scope: 'row' }, u.name, u.name === admin.name ? el('span', { class: 'you' }, ' (you)') : null),
      el('td', {}, u.role),
      el('td', {}, u.clearance || CLASSIFICATIONS[0]),
      el('td', {}, active ? 'active' : `revoked ${when(u.disabled)}`),
      el('td', {}, tokens.length ? el('ul', { class: 'tokens' }, tokens) : el('span', { class: 'none' }, 'none')),
      el('td', { class: 'actions' }, active ? [reset, el('span', { class: 'issue' }, label, issue)] : null));
  });
  return el('table', { class: 'admin-table users-table' },
    el('caption', { class: 'visually-hidden' }, plural(users.length, 'user', 'users')),
    el('thead', {}, el('tr', {}, ['Name', 'Role', 'Clearance', 'Status', 'Tokens', 'Actions'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

// userForm creates a user of the admin's agency, cleared at most as the
// admin is, and shows the password the server made once.
function userForm(admin, reveal, act) {
  const top = Math.max(0, CLASSIFICATIONS.indexOf(admin.clearance || CLASSIFICATIONS[0]));
  const name = el('input', { id: 'new-user-name', required: true, maxlength: '200', autocomplete: 'off', spellcheck: 'false' });
  const role = el('select', { id: 'new-user-role' }, ROLES.map((r) => el('option', { value: r }, r)));
  const clearance = el('select', { id: 'new-user-clearance' },
    CLASSIFICATIONS.slice(0, top + 1).map((c) => el('option', { value: c }, c)));
  const form = el('form', { class: 'admin-form user-form', 'aria-label': 'Create a user' },
    el('h3', {}, 'Create a user'),
    el('label', { for: 'new-user-name' }, 'Name'), name,
    el('label', { for: 'new-user-role' }, 'Role'), role,
    el('label', { for: 'new-user-clearance' }, 'Clearance'), clearance,
    el('button', { type: 'submit', class: 'btn primary' }, 'Create'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const n = name.value.trim();
    if (!n) {
      name.focus();
      return;
    }
    act(async () => {
      const r = await send('admin/users', { name: n, role: role.value, clearance: clearance.value });
      name.value = '';
      reveal(`Password of ${r.user.name}, ${r.user.role} of ${r.user.agency}:`, r.password);
    });
  });
  return form;
}

// grantTable lists the grants of the agency's collections.
function grantTable(grants, act) {
  if (!grants.length) return el('p', { class: 'empty' }, 'No collection of the agency is granted to anyone.');
  return el('table', { class: 'admin-table grants-table' },
    el('caption', { class: 'visually-hidden' }, plural(grants.length, 'grant', 'grants')),
    el('thead', {}, el('tr', {}, ['#', 'Collection', 'To', 'By', 'Reason', 'Made', 'Status'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, grants.map((g) => el('tr', { 'data-grant': g.id },
      el('td', {}, String(g.id)),
      el('th', { scope: 'row' }, g.collection),
      el('td', {}, g.agency || g.user),
      el('td', {}, g.by),
      el('td', { class: 'reason' }, g.reason),
      el('td', {}, when(g.created)),
      el('td', {}, g.revoked
        ? el('span', { class: 'badge revoked' }, `revoked ${when(g.revoked)}`)
        : el('button', {
          type: 'button', class: 'btn small', 'aria-label': `Revoke grant ${g.id}`,
          onclick: () => act(() => send(`admin/grants/${g.id}`, undefined, undefined, 'DELETE')),
        }, 'Revoke'))))));
}

// grantForm grants one of the agency's collections to another agency.
function grantForm(r, act) {
  if (!r.collections.length || !r.agencies.length) {
    return el('p', { class: 'hint' }, r.collections.length
      ? 'There is no other agency to grant a collection to.'
      : 'The agency has no collection to grant.');
  }
  const collection = el('select', { id: 'grant-collection' }, r.collections.map((c) => el('option', { value: c }, c)));
  const agency = el('select', { id: 'grant-agency' }, r.agencies.map((a) => el('option', { value: a }, a)));
  const reason = el('input', { id: 'grant-reason', required: true, maxlength: '2000', autocomplete: 'off' });
  const form = el('form', { class: 'admin-form grant-form', 'aria-label': 'Grant a collection' },
    el('h3', {}, 'Grant a collection'),
    el('label', { for: 'grant-collection' }, 'Collection'), collection,
    el('label', { for: 'grant-agency' }, 'To every user of'), agency,
    el('label', { for: 'grant-reason' }, 'Why'), reason,
    el('button', { type: 'submit', class: 'btn primary' }, 'Grant'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!reason.value.trim()) {
      reason.focus();
      return;
    }
    act(() => send('admin/grants', { collection: collection.value, agency: agency.value, reason: reason.value.trim() }));
  });
  return form;
}

// QUEUE_BUSY and QUEUE_IDLE are how often the queue is read again while
// jobs wait or run, and while none does.
const QUEUE_BUSY = 3000;
const QUEUE_IDLE = 15000;

// followQueue shows the agency's ingest queue in box and reads it again
// until signal aborts (the page is left): the jobs by state, the files
// loaded, the rate and the time left, the workers at work and the jobs
// that failed with their reasons.
function followQueue(box, signal) {
  let timer = null;
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  const read = async () => {
    let q;
    try {
      q = await api('admin/queue', null, signal);
    } catch (err) {
      if (err.name === 'AbortError') return;
      box.replaceChildren(el('p', { class: 'hint' }, `The queue cannot be read: ${err.message}`));
      timer = setTimeout(read, QUEUE_IDLE);
      return;
    }
    box.replaceChildren(...queueSummary(q));
    const busy = (q.states.queued || 0) + (q.states.running || 0) > 0;
    timer = setTimeout(read, busy ? QUEUE_BUSY : QUEUE_IDLE);
  };
  read();
}

// queueSummary renders a store.JobSummary.
export function queueSummary(q) {
  const n = (state) => q.states[state] || 0;
  const total = n('queued') + n('running') + n('done') + n('failed');
  if (!total) {
    return [el('p', { class: 'empty' }, 'No file is queued: mosaic ingest --queue queues files for mosaic worker processes to load.')];
  }
  const doneBytes = (q.bytes.done || 0) + (q.bytes.failed || 0);
  const leftBytes = (q.bytes.queued || 0) + (q.bytes.running || 0);
  const bar = el('progress', { class: 'queue-progress', max: String(total), value: String(n('done') + n('failed')),
    'aria-label': 'Jobs finished' });
  const out = [
    el('p', { class: 'queue-states', 'data-queued': n('queued'), 'data-running': n('running'), 'data-done': n('done'), 'data-failed': n('failed') },
      `${plural(n('queued'), 'job', 'jobs')} queued, ${n('running')} running, ${n('done')} done, ${n('failed')} failed; `,
      `${plural(q.documents, 'document', 'documents')} loaded, ${q.new} new.`),
    bar,
  ];
  const first = Date.parse(q.first);
  const last = Date.parse(q.last);
  if (first && last && last > first) {
    const secs = (last - first) / 1000;
    let rate = `${(q.documents / secs).toFixed(1)} documents a second`;
    if (doneBytes > 0 && leftBytes > 0) {
      const left = Math.round(secs * leftBytes / doneBytes);
      rate += `; about ${left < 120 ? plural(left, 'second', 'seconds') : plural(Math.round(left / 60), 'minute', 'minutes')} left at that rate`;
    }
    out.push(el('p', { class: 'queue-rate' }, rate + '.'));
  }
  // A worker claims jobs in batches: one line for each.
  const byWorker = new Map();
  for (const j of q.running) {
    if (!byWorker.has(j.worker)) byWorker.set(j.worker, []);
    byWorker.get(j.worker).push(j);
  }
  if (byWorker.size) {
    out.push(el('ul', { class: 'queue-workers' }, [...byWorker].map(([worker, jobs]) => {
      const lapsed = Date.parse(jobs[0].lease) < Date.now();
      return el('li', { 'data-worker': worker }, `${worker}: ${plural(jobs.length, 'file', 'files')}, since ${when(jobs[0].started)}`,
        lapsed ? el('span', { class: 'badge revoked' }, 'lease lapsed: another worker will take these') : null);
    })));
  }
  if (q.failed.length) {
    out.push(el('table', { class: 'admin-table queue-failed' },
      el('caption', {}, 'Latest failures'),
      el('thead', {}, el('tr', {}, ['#', 'File', 'Collection', 'Attempts', 'Why'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, q.failed.map((j) => el('tr', { 'data-job': j.id },
        el('td', {}, String(j.id)), el('td', { class: 'path' }, j.path), el('td', {}, j.collection),
        el('td', {}, String(j.attempts)), el('td', { class: 'reason' }, j.error))))));
  }
  return out;
}

view(/^\/admin$/, adminView);

// The sidebar's links to this page and the audit view are shown to admins
// alone. app.js names the user in #who-name when someone logs in and
// hides #who when they log out; each change asks the server who it is.
function showAdminTools() {
  const links = [$('#admin-tool'), $('#audit-tool')].filter(Boolean);
  const hide = () => links.forEach((l) => { l.hidden = true; });
  if ($('#who').hidden) {
    hide();
    return;
  }
  whoAmI().then((m) => links.forEach((l) => { l.hidden = m.user.role !== 'admin'; }), hide);
}

new MutationObserver(showAdminTools).observe($('#who'), { attributes: true, attributeFilter: ['hidden'], subtree: true, childList: true, characterData: true });
