// overview.mjs drives a real Chromium through Mosaic's network page and an
// entity's mentions per week.
//
//   node overview.mjs http://127.0.0.1:PORT/
//
// It expects the network fixture of internal/web's tests
// (TestBrowserOverview starts the server with it). Its stated relations
// form a star around Marten Quist: Oskar Feldhaus was in touch with him, he
// is a member of the Northgate Brotherhood and allegedly met Idris
// Kallweit in Antwerp; a note denies that Feldhaus was in touch with
// Kallweit, which links no one. Lieke Brandsma rented a flat in
// Vlissingen. The learned relations type the places those two sentences
// give (location), so Feldhaus, Quist and the Brotherhood make one cell,
// Kallweit and Antwerp a second, Brandsma and Vlissingen a third. Quist is
// the first of the people's brokers, Kallweit (between Quist and Antwerp)
// the second; the Brotherhood brokers nothing, and the places are listed
// apart, as context. Names mentioned together add Ghent beside Feldhaus.
// Feldhaus is named three times in case note 1 (Monday 20 March 2017) and
// once in case note 2 (Sunday 2 April 2017, the week of 27 March).
// With MOSAIC_SCREENSHOT=/path/shot.png it saves the network page as
// shot-network.png, Feldhaus's profile as shot-trend.png and a chart with
// a surge (an answer shaped by hand) as shot-surge.png.

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);

async function run(page, problems, base) {
  const text = (sel) => page.locator(sel).first().textContent();
  const texts = (sel) => page.locator(sel).allTextContents();
  const headingIs = (want) => page.waitForFunction((w) => document.querySelector('#view h1')?.textContent === w, want);
  const hash = () => decodeURIComponent(new URL(page.url()).hash);
  const idle = (sel) => page.waitForFunction((s) => {
    const box = document.querySelector(s);
    return box && !box.hasAttribute('aria-busy');
  }, sel);
  // cells lists each cell's member names, sorted, cells in page order.
  const cells = () => page.locator('.cells > .cell').evaluateAll((cs) => cs.map((c) =>
    [...c.querySelectorAll('a.entity')].map((a) => a.textContent).sort().join('|')));

  // ---- The network page, from the sidebar. A slow answer shows it is loading.
  await page.goto(base);
  let release;
  const held = new Promise((r) => { release = r; });
  const networkAPI = (u) => u.pathname === '/api/v1/network';
  await page.route(networkAPI, async (route) => { await held; await route.continue(); });
  // The answer gives every entity's kind: no profile is read to colour it.
  const profiles = [];
  const recordProfile = (req) => {
    if (/^\/api\/v1\/entities\/\d+$/.test(new URL(req.url()).pathname)) profiles.push(req.url());
  };
  page.on('request', recordProfile);
  await page.locator('#tools a[data-page="/network"]').click();
  await headingIs('Network');
  await page.locator('.network-analysis .pending').waitFor();
  check((await text('.network-analysis .pending')).startsWith('Finding the cells and central figures'),
    `loading note ${await text('.network-analysis .pending')}`);
  check(await page.locator('.network-analysis').getAttribute('aria-busy') === 'true', 'the network box is not marked busy');
  release();
  await idle('.network-analysis');
  await page.unroute(networkAPI);
  page.off('request', recordProfile);
  check(profiles.length === 0, `the network page read profiles: ${profiles.join(' ')}`);
  const brotherhood = page.locator('.cell a.entity', { hasText: 'Northgate Brotherhood' }).locator('.swatch');
  check(/\bm-ORG\b/.test(await brotherhood.getAttribute('class')), `the Brotherhood's swatch: ${await brotherhood.getAttribute('class')}`);
  check(hash() === '#/network', `hash ${hash()}`);
  check(await page.locator('#tools a[data-page="/network"]').getAttribute('aria-current') === 'page', 'sidebar does not mark the page');
  ok('the sidebar opens the network page, which says it is loading while the server works');

  // Places are context, not links: Kallweit's Antwerp and Brandsma's
  // Vlissingen make no cell of their own, and Brandsma, linked to nothing
  // but a place, is in none.
  const want = ['Idris Kallweit|Marten Quist|Northgate Brotherhood|Oskar Feldhaus'];
  check(JSON.stringify(await cells()) === JSON.stringify(want), `cells ${JSON.stringify(await cells())}`);
  check((await text('.cell h3 .n')) === '4 members', `cell size ${await text('.cell h3 .n')}`);
  const summary = await text('.network-analysis .path-summary');
  check(summary === '4 entities linked in 3 pairs; 1 cell, modularity 0.00.', `summary ${summary}`);
  ok('one cell: Feldhaus, Quist, Kallweit and the Brotherhood; no place and no one linked only to a place; modularity shown');

  const rankings = await texts('.rankings h2');
  check(rankings[0].startsWith('Brokers: people'), `the first ranking is ${JSON.stringify(rankings)}`);
  const brokers = await texts('.brokers.people .ranked li a.entity');
  check(brokers.join() === 'Marten Quist', `brokers ${JSON.stringify(brokers)}`);
  check((await texts('.brokers.people .ranked li .n')).join() === '3', `betweenness ${await texts('.brokers.people .ranked li .n')}`);
  const placesShown = await texts('.places .ranked li a.entity');
  check(placesShown.join() === 'Antwerp,Vlissingen' && !brokers.includes('Antwerp'), `places ${JSON.stringify(placesShown)}`);
  check((await text('.brokers .hint')) === 'Exact, from every entity.', `brokers note ${await text('.brokers .hint')}`);
  check((await text('.brokers.org .empty')) === 'No one.', `organisations' brokers ${await texts('.brokers.org li')}`);
  check((await texts('.pagerank .ranked li a.entity'))[0] === 'Marten Quist', 'PageRank does not rank Quist first');
  check((await texts('.degree .ranked li a.entity'))[0] === 'Marten Quist', 'degree does not rank Quist first');
  check((await texts('.degree .ranked li .n'))[0] === '3 links', `Quist's degree ${await texts('.degree .ranked li .n')}`);
  ok('"Brokers: people" comes first: Marten Quist, the hub between Feldhaus, Kallweit and the Brotherhood (exact), and Kallweit, who reaches Antwerp only, brokers nothing; Quist ranks first by PageRank and by degree; the Brotherhood brokers nothing; Antwerp and Vlissingen are listed as places, not brokers');

  // Names mentioned together: kept in the address.
  await page.locator('#network-co').check();
  // Ghent, named with Feldhaus only, joins the places when the new answer
  // is drawn.
  await page.waitForFunction(() => [...document.querySelectorAll('.places .ranked li a.entity')]
    .some((a) => a.textContent === 'Ghent'));
  await idle('.network-analysis');
  check(hash() === '#/network?co=1', `hash with co-occurrence ${hash()}`);
  const withCo = await cells();
  check(JSON.stringify(withCo) === JSON.stringify(want), `cells with co-occurrence ${JSON.stringify(withCo)}`);
  const places = await texts('.places .ranked li a.entity');
  check(places.join() === 'Antwerp,Ghent,Vlissingen' && !(await texts('.brokers .ranked li a.entity')).includes('Ghent'),
    `places ${JSON.stringify(places)}`);
  ok('following names mentioned together adds Ghent, named with Feldhaus, to the places, not to his cell nor the brokers; the address says so');
  if (shot) await page.screenshot({ path: also('network'), fullPage: true });

  // A member opens its entity; back shows the same page again.
  const feldhausLink = page.locator('.cell a.entity', { hasText: 'Oskar Feldhaus' });
  const feldhaus = await feldhausLink.getAttribute('href');
  check(/^#\/entity\/[0-9]+$/.test(feldhaus), `member link ${feldhaus}`);
  await feldhausLink.click();
  await headingIs('Oskar Feldhaus');
  check(hash() === feldhaus, `clicking the member went to ${hash()}`);
  ok('clicking a cell member opens its entity');

  // ---- Mentions per week on the profile.
  await page.locator('.trend svg.chart').waitFor();
  const id = feldhaus.split('/').pop();
  const api = await page.evaluate(async (i) => (await fetch(`api/v1/entities/${i}/trend`)).json(), id);
  const bars = await page.locator('.trend rect.bar').evaluateAll((rs) => rs.map((r) => ({
    start: r.dataset.start, count: Number(r.dataset.count), height: Number(r.getAttribute('height')),
    title: r.parentNode.querySelector('title').textContent,
  })));
  check(bars.length === api.weeks.length && bars.length > 2, `${bars.length} bars for ${api.weeks.length} weeks`);
  const sum = (xs) => xs.reduce((n, x) => n + x.count, 0);
  check(sum(bars) === sum(api.weeks) && sum(bars) === 4, `bars total ${sum(bars)}, weeks ${sum(api.weeks)}, want 4`);
  check(bars.every((b, i) => b.start === api.weeks[i].start.slice(0, 10)), 'bars out of step with the weeks');
  const busy = bars.filter((b) => b.count > 0).map((b) => `${b.start}:${b.count}`);
  check(busy.join() === '2017-03-20:3,2017-03-27:1', `weeks with mentions ${busy}`);
  const tallest = bars.find((b) => b.start === '2017-03-20');
  check(tallest.height === 100 && bars.find((b) => b.start === '2017-03-27').height.toFixed(2) === (100 / 3).toFixed(2),
    `bar heights ${bars.filter((b) => b.count).map((b) => b.height)}`);
  check(bars.filter((b) => !b.count).every((b) => b.height === 0), 'an empty week has a bar');
  check(tallest.title === 'Week of 2017-03-20: 3 mentions', `tooltip ${tallest.title}`);
  check(bars.find((b) => b.start === '2017-03-27').title === 'Week of 2017-03-27: 1 mention', 'one mention\'s tooltip');
  check((await page.locator('.trend .week.surge').count()) === 0 && (await page.locator('.trend .surges').count()) === 0,
    'surges shown where the server found none');
  check((await text('.trend .trend-body > .hint')).startsWith(`4 mentions in ${api.weeks.length} weeks`), `trend summary ${await text('.trend .trend-body > .hint')}`);
  ok(`Feldhaus's chart: ${bars.length} bars for the API's ${api.weeks.length} weeks, 4 mentions in all (3 the week of 20 March, 1 of 27 March), each titled`);
  if (shot) await page.screenshot({ path: also('trend'), fullPage: true });

  await page.goBack();
  await headingIs('Network');
  await page.waitForFunction(() => document.querySelectorAll('.cells > .cell').length === 1);
  check(await page.locator('#network-co').isChecked(), 'back forgot to follow names mentioned together');
  ok('back shows the network page with names mentioned together still followed');

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');

  // ---- What the fixture has no case of: answers shaped by hand.
  const trendAPI = (u) => /^\/api\/v1\/entities\/[0-9]+\/trend$/.test(u.pathname);
  const week = (start, count, expected, surge) => ({ start: `${start}T00:00:00Z`, count, expected, surge });
  const why = 'Oskar Feldhaus: 9 mentions in the week of 2017-03-27, against about 1 a week before; by chance 1 in 10,000.';
  await page.route(trendAPI, (route) => route.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({
      entity: Number(id), name: 'Oskar Feldhaus',
      weeks: [week('2017-03-13', 1, 0, false), week('2017-03-20', 1, 1, false), week('2017-03-27', 9, 1, true)],
      surges: [{ start: '2017-03-27T00:00:00Z', count: 9, expected: 1, p: 0.0001, why }],
    }),
  }));
  await page.goto(`${base}${feldhaus}`);
  await page.locator('.trend .surges li').waitFor();
  check((await page.locator('.trend .week.surge rect.bar').evaluateAll((rs) => rs.map((r) => r.dataset.start))).join() === '2017-03-27',
    'the surge week is not marked');
  check((await text('.trend .week.surge title')).startsWith('Week of 2017-03-27: 9 mentions (a surge'), `surge tooltip ${await text('.trend .week.surge title')}`);
  check((await text('.trend .surges .why')) === why, `surge explained as ${await text('.trend .surges .why')}`);
  check((await text('.trend .surges .date')) === '2017-03-27', 'surge date');
  ok('a surge week is marked apart, with its "why" listed under the chart');
  if (shot) await page.locator('.trend').screenshot({ path: also('surge') });

  await page.unroute(trendAPI);
  await page.route(trendAPI, (route) => route.fulfill({
    contentType: 'application/json', body: JSON.stringify({ entity: Number(id), name: 'Oskar Feldhaus', weeks: [], surges: [] }),
  }));
  await page.goto(`${base}#/network`);
  await headingIs('Network');
  await page.goto(`${base}${feldhaus}`);
  await page.locator('.trend .empty').waitFor();
  check((await text('.trend .empty')) === 'No dated documents mention it.', `empty chart ${await text('.trend .empty')}`);
  check((await page.locator('.trend svg').count()) === 0, 'a chart with no weeks');
  ok('no weeks: "No dated documents mention it."');

  // Sampled betweenness says so.
  await page.route(networkAPI, async (route) => {
    const res = await route.fetch();
    const r = await res.json();
    r.betweenness.sampled = true;
    r.betweenness.sources = 2;
    await route.fulfill({ response: res, body: JSON.stringify(r) });
  });
  await page.goto(`${base}#/network`);
  await page.locator('.brokers .hint').waitFor();
  check((await text('.brokers .hint')).startsWith('Estimated from 2 sampled sources, not exact'), `sampled note ${await text('.brokers .hint')}`);
  await page.unroute(networkAPI);
  ok('sampled betweenness is called an estimate, with its number of sources');

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);

  // ---- Errors in place (the browser logs their status, so they come last).
  await page.unroute(trendAPI);
  const fail = (route) => route.fulfill({
    status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal error; the server log has the details' }),
  });
  await page.route(trendAPI, fail);
  await page.goto(`${base}#/network`);
  await headingIs('Network');
  await page.goto(`${base}${feldhaus}`);
  await page.locator('.trend .error').waitFor();
  check((await text('.trend .error')).includes('internal error'), `trend error ${await text('.trend .error')}`);
  check((await text('#view h1')) === 'Oskar Feldhaus', 'a failed chart hid the profile');
  await page.locator('.neighbours .ring').first().waitFor();
  ok('a failing chart shows its error in place; the rest of the profile stands');

  await page.route(networkAPI, fail);
  await page.goto(`${base}#/network`);
  await page.locator('.network-analysis .error').waitFor();
  check((await text('.network-analysis .error')).includes('internal error'), `network error ${await text('.network-analysis .error')}`);
  check((await text('#view h1')) === 'Network', 'a failed analysis hid the page');
  ok('a failing analysis shows its error in place');
}

drive('overview', run);
