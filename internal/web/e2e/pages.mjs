// pages.mjs drives a real Chromium through a long document, a page of its
// text at a time, and through an entity's connections, a page at a time.
//
//   node pages.mjs http://127.0.0.1:PORT/
//
// It expects TestBrowserPages's server: the fixture of internal/web's tests
// and a chat export of several pages in which Tomas Verhelst meets a
// hundred people, one a line, resolved.

import { check, drive, ok } from './browser.mjs';

async function run(page, problems, base) {
  const text = (sel) => page.locator(sel).first().textContent();
  const api = (path) => page.evaluate(async (p) => (await fetch(p)).json(), `${base}api/v1/${path}`);

  await page.goto(base);
  const docs = await api('documents?collection=chats');
  const id = docs.documents[0].id;
  await page.goto(`${base}#doc=${id}`);
  await page.locator('.text-pager .pos').first().waitFor();
  const pos = await text('.text-pager .pos');
  const pages = Number(/of (\d+)/.exec(pos)?.[1]);
  check(pos === `Page 1 of ${pages}` && pages >= 3, `pager says ${pos}`);
  const first = await text('#doctext');
  check(first.startsWith('Entry 0: Tomas Verhelst met'), `page 1 starts ${first.slice(0, 40)}`);
  const names = async () => page.locator('#doctext .m-PERSON').allTextContents();
  check((await names()).length > 100, `page 1 marks ${(await names()).length} people`);
  ok(`a long document opens on page 1 of ${pages}, with its mentions marked`);

  await page.locator('.text-pager a[rel=next]').first().click();
  await page.waitForFunction(() => /^Page 2 of/.test(document.querySelector('.text-pager .pos')?.textContent ?? ''));
  check(new URL(page.url()).hash.includes('page=2'), `hash ${new URL(page.url()).hash}`);
  const second = await text('#doctext');
  check(!second.includes('Entry 0:') && /^Entry \d+:/.test(second), `page 2 starts ${second.slice(0, 40)}`);
  // Mentions are placed from the page's start: each mark is a whole name.
  const marked = await names();
  check(marked.length > 100 && marked.every((n) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(n)), `page 2 marks ${JSON.stringify(marked.slice(0, 5))}`);
  ok('the next page shows the text after the first, each mention on its name');

  await page.goBack();
  await page.waitForFunction(() => /^Page 1 of/.test(document.querySelector('.text-pager .pos')?.textContent ?? ''));
  check((await page.locator('.text-pager [rel=prev]').count()) === 0, 'page 1 offers a previous page');
  ok('back returns to page 1, which has no previous page');

  // An entity named with more people than a page lists.
  const found = await api('entities?name=Tomas+Verhelst');
  const hub = found.entities[0].id;
  const all = [];
  for (let cursor = ''; ;) {
    const r = await api(`entities/${hub}/connections?limit=1000${cursor ? '&cursor=' + cursor : ''}`);
    all.push(...r.connections);
    if (!(cursor = r.next)) break;
  }
  await page.goto(`${base}#/entity/${hub}`);
  await page.locator('.connections a.entity').first().waitFor();
  const shown = () => page.locator('.connections a.entity').count();
  check((await shown()) === 50 && all.length > 100, `the profile lists ${await shown()} of ${all.length} connections`);
  while (await page.locator('.connections .more-button').count()) {
    const before = await shown();
    await page.locator('.connections .more-button').click();
    await page.waitForFunction((n) => document.querySelectorAll('.connections a.entity').length > n, before);
  }
  const ids = await page.locator('.connections a.entity').evaluateAll((as) => as.map((a) => a.dataset.entity));
  check(ids.length === all.length && new Set(ids).size === ids.length, `after "more": ${ids.length} shown, ${new Set(ids).size} distinct, of ${all.length}`);
  ok(`"More" brings the rest of the ${all.length} connections, each once`);

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');
}

drive('pages', run);
