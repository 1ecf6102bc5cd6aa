// first-page.mjs drives a real Chromium through Mosaic's first page.
//
//   node first-page.mjs http://127.0.0.1:PORT/
//
// It expects the fixture of internal/web's tests (TestBrowser starts the
// server with it): fictional reports, an intercept with é, Arabic and an
// emoji before its mentions, and a hostile HTML memo. It uses Debian's
// chromium ($CHROMIUM, default /usr/bin/chromium) in a fresh profile and never
// downloads a browser. With MOSAIC_SCREENSHOT=/path/shot.png it saves the
// document view there, and the home page, search results, a report and the
// hostile memo beside it as shot-home.png, shot-search.png, shot-report.png and
// shot-hostile.png.

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
// also is where the screenshot of another view goes: shot.png -> shot-NAME.png.
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);

async function run(page, problems, base) {
  const text = (sel) => page.locator(sel).first().textContent();
  const heading = () => text('#view h1');

  // ---- The home page lists documents and collections.
  await page.goto(base);
  await page.locator('#collections a[data-collection="field-reports"]').waitFor();
  await page.locator('table.docs tbody tr').first().waitFor();
  check((await heading()) === 'All documents', `home heading is ${await heading()}`);
  const counts = await page.locator('#collections a').evaluateAll((as) =>
    Object.fromEntries(as.map((a) => [a.dataset.collection, a.querySelector('.n')?.textContent ?? ''])));
  check(counts['field-reports'] === '3' && counts['intercepts'] === '2' && counts['press-digest'] === '24',
    `collection counts ${JSON.stringify(counts)}`);
  ok('home page lists documents, sidebar lists collections with counts');
  if (shot) await page.screenshot({ path: also('home') });

  // ---- "/" focuses the search box; Enter searches.
  await page.locator('#view h1').focus();
  await page.keyboard.press('/');
  check(await page.evaluate(() => document.activeElement?.id === 'q'), '"/" did not focus the search box');
  await page.keyboard.type('Kallweit');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /results?$/.test(document.querySelector('#view h1')?.textContent ?? ''));
  check((await heading()) === '28 results', `search heading is ${await heading()}`);
  check(decodeURIComponent(new URL(page.url()).hash) === '#search=Kallweit', `hash is ${new URL(page.url()).hash}`);
  const hits = page.locator('.hits > li');
  check((await hits.count()) === 20, `first page shows ${await hits.count()} hits`);
  const marks = await page.locator('.hits .snippet').evaluateAll((ps) =>
    ps.map((p) => [...p.querySelectorAll('mark')].map((m) => m.textContent)));
  check(marks.every((ms) => ms.length > 0 && ms.every((m) => m.toLowerCase() === 'kallweit')),
    `marks around the query word: ${JSON.stringify(marks)}`);
  ok('typing a query and Enter shows 20 of 28 hits, each with <mark>kallweit</mark>');

  if (shot) {
    await page.screenshot({ path: also('search') });
  }

  // ---- Paging, and back to the first page.
  await page.locator('.view-head .pager a[rel=next]').click();
  await page.waitForFunction(() => document.querySelectorAll('.hits > li').length === 8);
  check(new URL(page.url()).hash.includes('offset=20'), `next page hash ${new URL(page.url()).hash}`);
  check((await text('.view-head .pager .pos')) === '21–28 of 28', `pager says ${await text('.view-head .pager .pos')}`);

  // The hostile memo ranks low; its title is text, not markup.
  const titles = await page.locator('.hit-title').allTextContents();
  check(titles.includes('<script>window.__mosaicPwned="title"</script><b>Hostile memo</b>'),
    `hostile title not shown literally: ${JSON.stringify(titles)}`);
  check((await page.locator('.hits script, .hits b, .hits img').count()) === 0, 'hostile title became markup');
  ok('hostile title is shown literally in the results');
  await page.goBack();
  await page.waitForFunction(() => document.querySelectorAll('.hits > li').length === 20);
  ok('next page shows hits 21–28; back returns to the first page');

  // ---- A document with é, Arabic and an emoji before its mentions.
  await page.locator('#q').fill('hélène');
  await page.locator('#search-form button').click();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === '1 result');
  check((await page.locator('.hits mark').allTextContents()).join() === 'Hélène', 'non-ASCII highlight');
  await page.locator('.hit-title').first().click();
  await page.locator('#doctext').waitFor();
  const docID = new URLSearchParams(new URL(page.url()).hash.slice(1)).get('doc');
  check(/^[0-9a-f]{64}$/.test(docID ?? ''), `document hash ${new URL(page.url()).hash}`);

  const api = await page.evaluate(async (id) => (await fetch(`api/v1/documents/${id}`)).json(), docID);
  check((await page.locator('#doctext').textContent()) === api.document.text, 'the text shown differs from the stored text');
  check(await page.locator('#doctext').evaluate((e) => getComputedStyle(e).whiteSpace === 'pre-wrap'), 'newlines are not kept');
  const spans = await page.locator('#doctext .m').evaluateAll((ss) =>
    ss.map((s) => ({ cls: s.className, text: s.textContent, title: s.title })));
  const want = [
    ['m m-PERSON', 'Hélène Marchetti', 'PERSON'],
    ['m m-LOCATION', 'Liège', 'LOCATION'],
    ['m m-LOCATION', 'لييج', 'LOCATION'],
    ['m m-PERSON', 'Idris Kallweit', 'PERSON'],
    ['m m-PHONE', '+32 470 12 34 56', 'PHONE +32470123456'],
    ['m m-EMAIL', 'relay7@example.org', 'EMAIL relay7@example.org'],
  ];
  check(spans.length === want.length, `${spans.length} mention spans: ${JSON.stringify(spans)}`);
  want.forEach(([cls, t, title], i) => {
    const s = spans[i];
    check(s.cls === cls && s.text === t && s.title === title,
      `mention ${i}: got ${JSON.stringify(s)}, want ${JSON.stringify({ cls, text: t, title })}`);
  });
  ok('mentions after é, Arabic and an emoji wrap exactly their text (UTF-8 bytes mapped to UTF-16)');

  const held = await page.locator('table.holdings tbody tr').allInnerTexts();
  check(held.length === 1 && held[0].includes('intercepts') && held[0].includes('Signals Unit'), `holdings ${JSON.stringify(held)}`);
  ok('document view shows its holdings with the agency');

  // The mention list: click one and the text scrolls to it.
  const button = page.locator('.mentions .mention', { hasText: 'Idris Kallweit' });
  await button.click();
  const current = page.locator('#doctext .m.current');
  check((await current.textContent()) === 'Idris Kallweit', 'clicking a mention did not mark it');
  await page.waitForFunction(() => {
    const r = document.querySelector('#doctext .m.current').getBoundingClientRect();
    return r.top >= 0 && r.bottom <= innerHeight;
  });
  ok('clicking a mention in the list scrolls to it');

  await page.locator('.legend input[data-type="PERSON"]').uncheck();
  check(await page.locator('#doctext').evaluate((e) => e.classList.contains('off-PERSON')), 'legend did not switch PERSON off');
  await page.locator('.legend input[data-type="PERSON"]').check();
  ok('the legend switches a type off and on');
  check(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'the page scrolls sideways at 1280 wide');
  if (shot) {
    await page.screenshot({ path: shot });
  }

  // Back goes to the results; forward to the document again.
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === '1 result');
  check((await page.locator('#q').inputValue()) === 'hélène', 'search box lost the query on back');
  await page.goForward();
  await page.locator('#doctext').waitFor();
  ok('back and forward move between results and document');

  // ---- A collection from the sidebar, then a document with nested mentions and a date.
  await page.locator('#collections a[data-collection="field-reports"]').click();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === 'field-reports');
  check((await page.locator('table.docs tbody tr').count()) === 3, 'field-reports does not list 3 documents');
  await page.locator('table.docs a', { hasText: 'Field report 14' }).click();
  await page.locator('#doctext').waitFor();
  const date = page.locator('#doctext .m-DATE');
  check((await date.textContent()) === '12 June 2016' && (await date.getAttribute('title')) === 'DATE 2016-06-12',
    `date mention ${await date.textContent()} / ${await date.getAttribute('title')}`);
  check((await page.locator('#doctext .m-ORG').textContent()) === 'Northgate Brotherhood', 'ORG mention');
  ok('sidebar lists a collection; the meeting report marks DATE 2016-06-12 and the ORG');
  if (shot) await page.screenshot({ path: also('report') });

  // ---- The hostile memo: shown as text, nothing runs.
  await page.locator('#collections a[data-collection="field-reports"]').click();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === 'field-reports');
  await page.locator('table.docs a', { hasText: 'Hostile memo' }).click();
  await page.locator('#doctext').waitFor();
  const shown = await page.locator('#doctext').textContent();
  for (const literal of [`<img src=x onerror="window.__mosaicPwned='img'">`, `<script>window.__mosaicPwned='script'</script>`, `<a href="javascript:`]) {
    check(shown.includes(literal), `hostile text not shown literally: ${literal}`);
  }
  check((await page.locator('#view img, #view script, #view b, #doctext a').count()) === 0, 'hostile text became elements');
  check((await heading()).startsWith('<script>'), 'hostile title not literal in the document view');
  await page.waitForTimeout(300);
  check(await page.evaluate(() => window.__mosaicPwned === undefined), 'a script from the hostile document ran');
  check((await page.locator('#doctext .m-PERSON').textContent()) === 'Idris Kallweit', 'mention in the hostile memo');
  ok('hostile HTML is shown as text and nothing in it ran');
  if (shot) await page.screenshot({ path: also('hostile') });

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');

  // ---- An unknown document reports the error (and the browser logs the 404).
  await page.goto(`${base}#doc=${'0'.repeat(64)}`);
  await page.locator('#error').waitFor({ state: 'visible' });
  check((await text('#error')).includes('not found'), `error box says ${await text('#error')}`);
  ok('an unknown document shows "not found"');

  // ---- Logging out ends the session: the page shows the form again,
  // and so does a reload.
  await page.locator('#logout').click();
  await page.locator('#login-form').waitFor();
  check(await page.locator('#collections a, #view *').count() === 0, 'material stays on screen after logout');
  await page.reload();
  await page.locator('#login-form').waitFor();
  check(!(await page.locator('#who').isVisible()), 'a reload after logout is still logged in');
  ok('logging out shows the login form, also after a reload');
}

drive('first page', run);
