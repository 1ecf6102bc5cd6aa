// agencies.mjs drives a real Chromium as an analyst of one agency of a
// store two agencies share, and checks the page shows nothing of the
// other's material: not in the sidebar, the document list, a search, or a
// document opened by its ID; and that a document of hostile HTML of the
// analyst's own agency is shown as text, its scripts never run.
//
//   node agencies.mjs http://127.0.0.1:PORT/
//
// It expects TestBrowserAgencies's server (the authorisation matrix's two
// agencies) and, in the environment, MOSAIC_FOREIGN_DOC (an ID of the other
// agency's), MOSAIC_FOREIGN_MARKERS (a JSON list of strings found only in
// the other agency's material) and MOSAIC_HOSTILE_DOC (the ID of the
// hostile document) with MOSAIC_HOSTILE_TITLE (its title).

import { check, drive, ok } from './browser.mjs';

const foreignDoc = process.env.MOSAIC_FOREIGN_DOC || '';
const markers = JSON.parse(process.env.MOSAIC_FOREIGN_MARKERS || '[]');
const hostileDoc = process.env.MOSAIC_HOSTILE_DOC || '';
const hostileTitle = process.env.MOSAIC_HOSTILE_TITLE || '';

async function run(page, problems, base) {
  check(foreignDoc && markers.length > 0 && hostileDoc && hostileTitle,
    'set MOSAIC_FOREIGN_DOC, MOSAIC_FOREIGN_MARKERS, MOSAIC_HOSTILE_DOC and MOSAIC_HOSTILE_TITLE');
  // leaked lists the markers the page's DOM holds, less those the caller
  // typed (a page may echo a query or an ID asked for).
  const leaked = async (typed = '') => {
    const html = (await page.content()).toLowerCase();
    return markers.filter((m) => html.includes(m.toLowerCase()) && !typed.toLowerCase().includes(m.toLowerCase()));
  };
  const heading = () => page.locator('#view h1').first().textContent();

  // ---- The home page: alpha's collection and documents only.
  await page.goto(base);
  await page.locator('#collections a[data-collection="alpha-main"]').waitFor();
  await page.locator('table.docs tbody tr').first().waitFor();
  const collections = await page.locator('#collections a').evaluateAll((as) => as.map((a) => a.dataset.collection));
  check(JSON.stringify(collections) === JSON.stringify(['', 'alpha-main']), `the sidebar lists ${JSON.stringify(collections)}`);
  check((await leaked()).length === 0, `the home page shows ${JSON.stringify(await leaked())}`);
  ok("the home page lists alpha's collection and documents, nothing of bravo's");

  // ---- A search for bravo's words finds nothing.
  const q = 'zarqa OR quillon OR nightjar';
  await page.locator('#q').fill(q);
  await page.locator('#search-form button').click();
  await page.waitForFunction(() => /results?$/.test(document.querySelector('#view h1')?.textContent ?? ''));
  check((await heading()) === '0 results', `the search heading is ${await heading()}`);
  check((await leaked(q)).length === 0, `the search shows ${JSON.stringify(await leaked(q))}`);
  ok("a search for bravo's words shows 0 results");

  // ---- bravo's document, opened by its ID, is not found.
  await page.goto(`${base}#doc=${foreignDoc}`);
  await page.locator('#error:not([hidden])').waitFor();
  const said = await page.locator('#error').textContent();
  check(/not found/.test(said), `opening bravo's document says ${said}`);
  check((await page.locator('#doctext').count()) === 0, "bravo's document text is shown");
  // The window's title still names the search before, which the analyst typed.
  check((await leaked(q + foreignDoc)).length === 0, `the page shows ${JSON.stringify(await leaked(q + foreignDoc))}`);
  ok(`opening bravo's document by its ID says "${said.trim()}" and shows nothing of it`);

  // ---- The hostile document is text.
  await page.goto(`${base}#doc=${hostileDoc}`);
  await page.locator('#doctext').waitFor();
  check((await heading()) === hostileTitle, `the hostile title shows as ${await heading()}`);
  const text = await page.locator('#doctext').textContent();
  check(text.includes('<img src=x onerror=') && text.includes('<script>'), `the hostile text shows as ${text}`);
  check((await page.locator('#view script, #view img, #view iframe').count()) === 0, 'the hostile text became markup');
  check(await page.evaluate(() => window.__mosaicPwned === undefined), 'a script of the hostile document ran');
  ok('the hostile document shows its HTML as text, and none of it runs');

  // The 404 of bravo's document is logged by the browser as an error.
  const others = problems.filter((p) => !/status of 404/.test(p));
  check(others.length === 0, `browser reported problems:\n  ${others.join('\n  ')}`);
  ok('no console errors but the 404 asked for, no page errors, no requests outside the server');
}

drive('agencies', run);
