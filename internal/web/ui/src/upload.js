// The upload page (#/upload[?collection=NAME]): files chosen or dropped go
// into a collection of the user's agency, one of its own or a new one, by
// POST /api/v1/collections/{name}/documents. The server answers a line of
// JSON per file as each is stored or refused (NDJSON), which this page
// reads as it comes, so each file's row says where it stands: waiting,
// reading, then added, held, skipped or failed with the server's reason.
// A file's name and the reasons are the analyst's and the server's text,
// shown as text.

import { el, api, answer, hashOf, plural, count, loadCollections } from './app.js';
import { view } from './views.js';
import './upload.css';

// STATES names each row's state as the page shows it.
const STATES = {
  waiting: 'Waiting',
  reading: 'Reading…',
  added: 'Added',
  held: 'Already held',
  skipped: 'Skipped',
  failed: 'Failed',
};

// sizeOf writes a file's size for a person.
function sizeOf(n) {
  if (n < 1024) return plural(n, 'byte', 'bytes');
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

// fileRow is the row of one chosen file; set(state, detail) moves it on.
function fileRow(file) {
  const state = el('span', { class: 'state' });
  const detail = el('div', { class: 'detail' });
  const row = el('li', { class: 'upload-row' },
    el('span', { class: 'file-name' }, file.name),
    el('span', { class: 'file-size' }, sizeOf(file.size)),
    state, detail);
  const set = (s, ...nodes) => {
    row.dataset.state = s;
    state.textContent = STATES[s] || s;
    detail.replaceChildren(...nodes);
  };
  set('waiting');
  return { file, row, set };
}

// outcomeOf turns a file's line of the answer into its row's detail.
function outcomeOf(line) {
  const nodes = [];
  if (line.outcome === 'added' || line.outcome === 'held') {
    const docs = line.ids || [];
    const what = line.outcome === 'added'
      ? `${plural(line.documents, 'document', 'documents')}, ${count(line.new)} new`
      : `${plural(line.documents, 'document', 'documents')}, all held already`;
    nodes.push(el('span', { class: 'stored' }, what));
    if (docs.length) nodes.push(' · ', el('a', { href: hashOf({ doc: docs[0] }) }, docs.length > 1 ? 'open the first' : 'open'));
  }
  if (line.reason) nodes.push(el('p', { class: 'reason' }, line.reason));
  for (const w of line.warnings || []) nodes.push(el('p', { class: 'warning' }, `Stored, but ${w}`));
  return nodes;
}

// readLines calls each with every JSON line of the answer's body as it
// arrives.
async function readLines(res, each) {
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let held = '';
  for (;;) {
    const { value, done } = await reader.read();
    held += dec.decode(value || new Uint8Array(), { stream: !done });
    let nl;
    while ((nl = held.indexOf('\n')) >= 0) {
      const line = held.slice(0, nl).trim();
      held = held.slice(nl + 1);
      if (line) each(JSON.parse(line));
    }
    if (done) break;
  }
  if (held.trim()) each(JSON.parse(held));
}

// upload sends the files to the collection with the session's CSRF
// token, moving each row on as its line comes, and returns the summary.
// It is not tied to the view: an upload goes on when the analyst looks
// elsewhere.
async function upload(collection, rows, csrf) {
  const form = new FormData();
  for (const r of rows) {
    form.append('file', r.file, r.file.name);
    r.set('reading');
  }
  const res = await fetch(new URL(`api/v1/collections/${encodeURIComponent(collection)}/documents`, document.baseURI), {
    method: 'POST',
    headers: { Accept: 'application/x-ndjson', 'X-CSRF-Token': csrf },
    body: form,
  });
  // A refusal is JSON, read as every other answer is; a success is the
  // stream of lines.
  if (!res.ok) await answer(res);
  let summary = null;
  await readLines(res, (line) => {
    if (line.summary) summary = line;
    else if (rows[line.index]) rows[line.index].set(line.outcome, ...outcomeOf(line));
  });
  if (!summary) throw new Error('The answer broke off before its summary: some files may not be stored.');
  return summary;
}

// summaryText writes the summary line as a sentence.
function summaryText(s) {
  const t = s.summary;
  const parts = [`${count(t.added)} added`];
  if (t.held) parts.push(`${count(t.held)} already held`);
  if (t.skipped) parts.push(`${count(t.skipped)} skipped`);
  if (t.failed) parts.push(`${count(t.failed)} failed`);
  return `${plural(t.files, 'file', 'files')}: ${parts.join(', ')}; ${plural(t.new_documents, 'new document', 'new documents')}.`;
}

view(/^\/upload$/, async (match, params, signal) => {
  const m = await api('me', null, signal);
  const me = m.user;
  const head = el('h1', { tabindex: '-1' }, 'Upload files');
  if (me.role !== 'analyst' && me.role !== 'admin') {
    return {
      nodes: [head, el('p', { class: 'lede' }, `Only analysts and admins may upload files; you are a ${me.role}.`)],
      status: 'Upload: not for your role',
    };
  }
  const { collections } = await api('collections', null, signal);
  const own = collections.filter((c) => c.agency === me.agency);

  const rows = [];
  const list = el('ol', { class: 'upload-files', 'aria-label': 'Files to upload' });
  const summary = el('p', { class: 'upload-summary', role: 'status' });
  const error = el('p', { class: 'error', role: 'alert', hidden: true });
  const picker = el('input', { id: 'upload-files', type: 'file', multiple: true, class: 'visually-hidden' });
  const name = el('input', {
    id: 'upload-collection', name: 'collection', list: 'upload-collections', required: true,
    autocomplete: 'off', spellcheck: 'false', maxlength: 200, value: params.get('collection') || (own[0] ? own[0].name : ''),
  });
  const submit = el('button', { type: 'submit', disabled: true }, 'Upload');
  const clear = el('button', { type: 'button', class: 'btn', disabled: true }, 'Clear');
  let busy = false;
  const refresh = () => {
    submit.disabled = busy || rows.length === 0 || rows.every((r) => r.row.dataset.state !== 'waiting');
    clear.disabled = busy || rows.length === 0;
    list.hidden = rows.length === 0;
  };
  const add = (files) => {
    // Rows already sent stay as they ended; the new ones wait.
    if (rows.length && rows.every((r) => r.row.dataset.state !== 'waiting')) {
      rows.length = 0;
      list.replaceChildren();
      summary.textContent = '';
    }
    for (const f of files) {
      const r = fileRow(f);
      rows.push(r);
      list.append(r.row);
    }
    refresh();
  };
  picker.addEventListener('change', () => {
    add([...picker.files]);
    picker.value = '';
  });
  clear.addEventListener('click', () => {
    rows.length = 0;
    list.replaceChildren();
    summary.textContent = '';
    refresh();
  });

  const drop = el('div', { class: 'dropzone', id: 'upload-drop' },
    el('p', {}, 'Drop files here, or ',
      el('label', { for: 'upload-files', class: 'btn choose', tabindex: '0',
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); picker.click(); } } }, 'choose files'),
      picker),
    el('p', { class: 'hint' }, 'Text, HTML, PDF, Word (DOCX), e-mail, CSV, JSON and zip archives; up to 256 MiB a file.'));
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    add([...(e.dataTransfer?.files || [])]);
  });

  const form = el('form', { class: 'upload-form', novalidate: true },
    el('label', { for: 'upload-collection' }, `Collection of ${me.agency}`),
    name,
    el('datalist', { id: 'upload-collections' }, own.map((c) => el('option', { value: c.name }))),
    el('p', { class: 'hint' }, own.length
      ? 'Choose one of your agency\'s collections, or type a new name to make one.'
      : 'Your agency has no collection yet: type a name to make one.'),
    drop, list, error,
    el('div', { class: 'actions' }, submit, clear),
    summary);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const collection = name.value.trim();
    error.hidden = true;
    if (!collection) {
      error.textContent = 'Name the collection the files go into.';
      error.hidden = false;
      name.focus();
      return;
    }
    const waiting = rows.filter((r) => r.row.dataset.state === 'waiting');
    if (!waiting.length) return;
    busy = true;
    refresh();
    summary.textContent = `Uploading ${plural(waiting.length, 'file', 'files')}…`;
    try {
      const s = await upload(collection, waiting, m.csrf || '');
      summary.textContent = summaryText(s);
      if (s.error) {
        error.textContent = s.error;
        error.hidden = false;
      }
    } catch (err) {
      for (const r of waiting) {
        if (r.row.dataset.state === 'reading') r.set('failed', el('p', { class: 'reason' }, `Not stored: ${err.message}`));
      }
      summary.textContent = '';
      error.textContent = err.message;
      error.hidden = false;
    } finally {
      busy = false;
      refresh();
      loadCollections();
    }
  });
  refresh();
  return {
    nodes: [head, el('p', { class: 'lede' },
      `Files are read, their names and relations found, and stored in a collection of ${me.agency}; each file says how it went.`), form],
    status: 'Upload files',
  };
});
