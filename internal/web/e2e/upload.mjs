// upload.mjs drives a real Chromium through Mosaic's upload page: a good
// report chosen with the file picker and a corrupt PDF dropped on the drop
// zone, both waiting; then uploaded, the report added and the PDF failed
// with the server's reason; the new collection in the sidebar; and search
// finding the report's text.
//
//   node upload.mjs http://127.0.0.1:PORT/
//
// It expects the authorisation matrix, logged in as one of alpha's
// analysts, and reads from the environment MOSAIC_UPLOAD_COLLECTION (the
// new collection to make), MOSAIC_UPLOAD_TEXT (the report's text) and
// MOSAIC_UPLOAD_WORD (a word only the report holds). With
// MOSAIC_SCREENSHOT=/path/shot.png it saves the page after the upload.

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);
const collection = process.env.MOSAIC_UPLOAD_COLLECTION;
const text = process.env.MOSAIC_UPLOAD_TEXT;
const word = process.env.MOSAIC_UPLOAD_WORD;

async function run(page, problems, base) {
  check(collection && text && word, 'set the MOSAIC_UPLOAD_ environment (run by TestBrowserUpload)');
  const rows = page.locator('.upload-row');
  const row = (name) => page.locator('.upload-row', { has: page.locator('.file-name', { hasText: name }) });
  const stateOf = (name) => row(name).getAttribute('data-state');

  // ---- The page, from the sidebar.
  await page.locator('#tools a[href="#/upload"]').click();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === 'Upload files');
  check(await page.locator('label[for=upload-collection]').textContent() === 'Collection of alpha',
    `the collection's label says ${await page.locator('label[for=upload-collection]').textContent()}`);
  const offered = await page.locator('#upload-collections option').evaluateAll((os) => os.map((o) => o.value));
  check(JSON.stringify(offered) === JSON.stringify(['alpha-main']), `collections offered: ${offered}, want alpha's alone`);
  check(await page.locator('.upload-form button[type=submit]').isDisabled(), 'Upload is enabled with no file chosen');
  await page.locator('#upload-collection').fill(collection);
  ok(`the upload page offers alpha's own collections only: ${offered}`);

  // ---- A report through the picker, a corrupt PDF dropped: both wait.
  await page.locator('#upload-files').setInputFiles({ name: 'harbour-report.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['%PDF-1.7\n1 0 obj << /Type /Catalog >>\nnot a PDF body\n%%EOF\n'], 'ledger.pdf', { type: 'application/pdf' }));
    const zone = document.querySelector('#upload-drop');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  check(await rows.count() === 2, `${await rows.count()} rows for two files`);
  check(await stateOf('harbour-report.txt') === 'waiting' && await stateOf('ledger.pdf') === 'waiting',
    `before the upload: ${await stateOf('harbour-report.txt')}, ${await stateOf('ledger.pdf')}`);
  check(await row('harbour-report.txt').locator('.state').textContent() === 'Waiting', 'the report does not say Waiting');
  ok('a file chosen and a file dropped each have a row, waiting');

  // ---- Upload: each row moves on as its line comes.
  await page.locator('.upload-form button[type=submit]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('.upload-row')].every((r) => !['waiting', 'reading'].includes(r.dataset.state)), null, { timeout: 60_000 });
  check(await stateOf('harbour-report.txt') === 'added', `the report ended ${await stateOf('harbour-report.txt')}`);
  check(await row('harbour-report.txt').locator('.state').textContent() === 'Added', 'the report does not say Added');
  const docs = await row('harbour-report.txt').locator('.stored').textContent();
  check(docs === '1 document, 1 new', `the report's row says ${docs}`);
  check(await stateOf('ledger.pdf') === 'failed', `the PDF ended ${await stateOf('ledger.pdf')}`);
  const reason = await row('ledger.pdf').locator('.reason').textContent();
  check(/^ledger\.pdf: corrupt PDF/.test(reason) && !reason.includes('mosaic-upload-'), `the PDF's reason: ${reason}`);
  const summary = await page.locator('.upload-summary').textContent();
  check(summary === '2 files: 1 added, 1 failed; 1 new document.', `summary: ${summary}`);
  ok(`the report is added, the PDF failed: "${reason}"; "${summary}"`);
  await page.locator(`#collections a[data-collection="${collection}"]`).waitFor();
  const n = await page.locator(`#collections a[data-collection="${collection}"] .n`).textContent();
  check(n === '1', `the sidebar counts ${n} documents in ${collection}`);
  ok(`the sidebar shows ${collection} with its document`);
  if (shot) await page.screenshot({ path: also('upload'), fullPage: true });

  // ---- Search finds the report's text and opens it.
  await page.locator('#q').fill(word);
  await page.locator('#search-form button').click();
  await page.locator('.hits > li').first().waitFor();
  check(await page.locator('.hits > li').count() === 1, `${await page.locator('.hits > li').count()} hits for ${word}`);
  await page.locator('.hit-title').first().click();
  await page.waitForFunction((w) => document.querySelector('#view')?.textContent.includes(w), word);
  ok(`search finds "${word}" in the uploaded report, which opens`);

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
}

drive('upload', run);
