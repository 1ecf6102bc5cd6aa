// incidents.mjs drives a real Chromium through Mosaic's incident
// dashboard, one attack, the tempo chart, the map and the timeline.
//
//   node incidents.mjs http://127.0.0.1:PORT/
//
// It expects the authorisation matrix with the placed attacks of
// TestBrowserIncidents, logged in as one of alpha's analysts, and reads
// what to expect from the environment: MOSAIC_ATTACK_DATES (the date of
// each attack alpha reads), MOSAIC_MERGED_DATE (the day whose GTD row and
// report are one attack), MOSAIC_PLACED_DATES (the dates of the attacks with
// coordinates, each at a place of its own), MOSAIC_QUOTE and MOSAIC_QUOTE_DOC (the sentence the
// placed attacks were read from and its document). With
// MOSAIC_SCREENSHOT=/path/shot.png it saves the dashboard, an attack and
// the map beside it.

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);
const dates = JSON.parse(process.env.MOSAIC_ATTACK_DATES || '[]');
const mergedDate = process.env.MOSAIC_MERGED_DATE;
const placedDates = JSON.parse(process.env.MOSAIC_PLACED_DATES || '[]');
const placed = placedDates.length;
const quote = process.env.MOSAIC_QUOTE;
const quoteDoc = process.env.MOSAIC_QUOTE_DOC;

async function run(page, problems, base) {
  check(dates.length > 0 && mergedDate && placed > 0 && quote && quoteDoc, 'set the MOSAIC_ environment (run by TestBrowserIncidents)');
  const headingIs = (want) => page.waitForFunction((w) => document.querySelector('#view h1')?.textContent === w, want);
  const hash = () => decodeURIComponent(new URL(page.url()).hash);
  const rows = () => page.locator('table.attacks tbody tr');
  const apiTotal = (q) => page.evaluate(async (query) => (await (await fetch(`api/v1/incidents?${query}`)).json()).total, q);

  // ---- The dashboard: every attack, as many as the API counts.
  await page.locator('#tools a[href="#/incidents"]').click();
  await headingIs('Incidents');
  await rows().first().waitFor();
  const total = await apiTotal('');
  check(total === dates.length, `the API counts ${total} attacks, the fixture ${dates.length}`);
  const shown = Number(await page.locator('.attack-count').getAttribute('data-total'));
  check(shown === total && (await page.locator('.attack-count').textContent()) === `${total} attacks`,
    `the page says ${await page.locator('.attack-count').textContent()}, the API ${total}`);
  check(await rows().count() === total, `${await rows().count()} rows for ${total} attacks`);
  const listed = await page.locator('table.attacks tbody td.date').allTextContents();
  check(JSON.stringify(listed) === JSON.stringify([...dates].sort()), `dates listed ${listed}, want ${[...dates].sort()}`);
  ok(`the dashboard lists ${total} attacks, oldest first, as many as the API counts`);

  // ---- The tempo chart: a bar per month with attacks, Ramadan shaded, its ratio written out.
  await page.locator('svg.tempo-chart').waitFor();
  const bars = await page.locator('svg.tempo-chart rect.bar').evaluateAll((rs) => rs.map((r) => ({
    start: r.dataset.start, count: Number(r.dataset.count), height: r.getBoundingClientRect().height,
  })));
  const perMonth = {};
  for (const d of dates) perMonth[d.slice(0, 7)] = (perMonth[d.slice(0, 7)] || 0) + 1;
  for (const b of bars) {
    const want = perMonth[b.start.slice(0, 7)] || 0;
    check(b.count === want, `tempo bar ${b.start}: ${b.count}, want ${want}`);
    check((b.height > 1) === (want > 0), `tempo bar ${b.start} is ${b.height}px high for ${want} attacks`);
  }
  check(bars.length >= Object.keys(perMonth).length && bars.filter((b) => b.height > 1).length === Object.keys(perMonth).length,
    `${bars.length} bars drawn for ${Object.keys(perMonth).length} months with attacks`);
  const ramadan = await page.locator('svg.tempo-chart rect.ramadan').evaluateAll((rs) => rs.map((r) => r.getBoundingClientRect().width));
  check(ramadan.length === 1 && ramadan[0] > 5, `Ramadan 2019 shaded: ${JSON.stringify(ramadan)}`);
  const irr = await page.locator('.tempo-words .ramadan-irr').textContent();
  check(/^Ramadan: rate ratio \S+ \(95% interval \S+ to \S+\)/.test(irr), `Ramadan ratio written as ${irr}`);
  ok(`tempo: ${Object.keys(perMonth).length} months drawn with their counts, Ramadan shaded; "${irr.slice(0, 60)}…"`);

  // Changes of rate, on an answer made up here: a quiet quarter, then a busy one.
  const made = {
    rule: 'all', by: 'month', from: '2020-01-01', to: '2020-06-30', counted: 22, excluded: 0, imprecise: 0,
    bins: [[1, 31], [1, 29], [1, 31], [6, 30], [7, 31], [6, 30]].map(([n, days], i) => ({ start: `2020-0${i + 1}-01`, days, count: n })),
    segments: [{ from: '2020-01-01', to: '2020-03-01', count: 3, days: 91, per_day: 3 / 91 },
      { from: '2020-04-01', to: '2020-06-01', count: 19, days: 91, per_day: 19 / 91 }],
    changes: ['2020-04-01'],
    ramadan: { windows: [['2020-04-24', '2020-05-23']], irr: 2.5, lower: 1.1, upper: '+Inf', level: 0.95, dispersion: 1, scaled: false,
      in_events: 7, out_events: 15, in_days: 30, out_days: 152, controls: 'none' },
  };
  const tempoAPI = (u) => u.pathname.endsWith('/api/v1/tempo');
  await page.route(tempoAPI, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(made) }));
  await page.goto(`${base}#/incidents?since=2020`);
  await page.locator('svg.tempo-chart line.change').waitFor({ state: 'attached' });
  const geo = await page.locator('svg.tempo-chart').evaluate((svg) => {
    const box = (e) => e.getBoundingClientRect();
    return {
      changes: [...svg.querySelectorAll('line.change')].map((l) => box(l).x),
      bars: [...svg.querySelectorAll('rect.bar')].map((b) => ({ x: box(b).x, right: box(b).right, h: box(b).height })),
      ramadan: [...svg.querySelectorAll('rect.ramadan')].map((r) => ({ x: box(r).x, right: box(r).right })),
      rate: svg.querySelector('path.rate')?.getTotalLength() || 0,
    };
  });
  check(geo.changes.length === 1 && Math.abs(geo.changes[0] - geo.bars[3].x) < 3, `change of rate drawn at ${geo.changes}, April's bar at ${geo.bars[3].x}`);
  check(geo.bars[4].h > geo.bars[0].h * 5, 'bars not scaled to their counts');
  check(geo.ramadan.length === 1 && geo.ramadan[0].x > geo.bars[3].x + (geo.bars[3].right - geo.bars[3].x) / 2 &&
    geo.ramadan[0].right < geo.bars[4].right && geo.ramadan[0].right > geo.bars[4].x + (geo.bars[4].right - geo.bars[4].x) / 2,
  `Ramadan 24 April to 23 May shaded at ${JSON.stringify(geo.ramadan)}, bars ${JSON.stringify(geo.bars)}`);
  check(geo.rate > 100, 'the segments\' rates are not drawn');
  const words = await page.locator('.tempo-words').textContent();
  check(words.includes('The rate changed at 2020-04-01') && words.includes('rate ratio 2.50 (95% interval 1.10 to ∞), 7 attacks in 30 days of Ramadan'),
    `tempo in words: ${words}`);
  await page.unroute(tempoAPI);
  ok('a change of rate is marked where it falls, Ramadan shaded over its days, the ratio with an infinite bound written ∞');

  // Before/after around a day, from the form.
  await page.goto(`${base}#/incidents`);
  await page.waitForFunction((n) => document.querySelector('.attack-count')?.dataset.total === String(n) &&
    document.querySelector('.incident-filters input[name=since]')?.value === '' &&
    document.querySelectorAll('svg.tempo-chart line.change').length === 0 && document.querySelector('svg.tempo-chart'), total);
  await page.locator('.incident-filters input[name=around]').fill('2019-03-01');
  await page.locator('.incident-filters button[type=submit]').click();
  await page.locator('.tempo-words .around').waitFor();
  const around = await page.locator('.tempo-words .around').textContent();
  check(/from 2019-03-01 .* ratio \S+ \(95% interval/.test(around), `before/after written as ${around}`);
  ok(`before/after: "${around.slice(0, 80)}…"`);
  if (shot) await page.screenshot({ path: also('incidents'), fullPage: true });

  // ---- One attack: the merged one, its merge explained, then a placed one's evidence.
  await page.goto(`${base}#/incidents`);
  await rows().first().waitFor();
  const mergedRow = page.locator('table.attacks tbody tr', { has: page.locator('td.date', { hasText: mergedDate }) });
  check(await mergedRow.locator('td').last().textContent() === '2', 'the merged attack does not show 2 sources');
  await mergedRow.locator('a').click();
  await page.locator('.merge .links li').waitFor();
  check(/^#\/incident\/[0-9]+$/.test(hash()), `the attack opened at ${hash()}`);
  const nth = [...dates].sort().indexOf(mergedDate) + 1;
  check((await page.locator('.ordinal').textContent()) === `Attack ${nth} of ${total}.`, `ordinal ${await page.locator('.ordinal').textContent()}`);
  const why = await page.locator('.merge .links .why').textContent();
  check(why.includes(mergedDate), `why merged: ${why}`);
  ok(`the ${mergedDate} attack opens with its ordinal sentence and why its two records are one ("${why}")`);

  // The analyst rules them different: the list then holds one more attack.
  await page.locator('.merge button.split').click();
  await page.waitForFunction(() => document.querySelector('.merge .links') === null && document.querySelector('.merge .empty'));
  await page.goto(`${base}#/incidents`);
  await page.waitForFunction((n) => document.querySelectorAll('table.attacks tbody tr').length === n, total + 1);
  check(await apiTotal('') === total + 1, 'the API does not count the split attack');
  ok(`ruling the two records different makes ${total + 1} attacks in the list`);

  const last = [...dates].sort().pop();
  await page.locator('table.attacks tbody tr', { has: page.locator('td.date', { hasText: last }) }).locator('a').click();
  await page.locator('.attack-evidence .ev').first().waitFor();
  check(await page.locator('.attack-evidence .quote').first().textContent() === quote, `evidence quoted as ${await page.locator('.attack-evidence .quote').first().textContent()}`);
  check(await page.locator('.attack-evidence a.ev-doc').first().getAttribute('href') === `#doc=${quoteDoc}`, 'the evidence does not link its document');
  check((await page.locator('.ordinal').textContent()).startsWith(`Attack ${total + 1} of ${total + 1}`), `ordinal ${await page.locator('.ordinal').textContent()}`);
  if (shot) await page.screenshot({ path: also('attack'), fullPage: true });
  await page.locator('.attack-evidence a.ev-doc').first().click();
  await page.locator('#doctext').waitFor();
  ok('an attack quotes its evidence sentence, which opens its document');

  // ---- The map: country outlines, a marker per place, a click opens its attack.
  await page.locator('#tools a[href="#/map"]').click();
  await headingIs('Map');
  await page.waitForFunction(() => document.querySelectorAll('#map path.attack-marker').length > 0);
  const countries = await page.locator('#map path.country').count();
  check(countries > 150, `${countries} country outlines drawn`);
  const box = await page.locator('#map').boundingBox();
  const markers = await page.locator('#map path.attack-marker').evaluateAll((ps) => ps.map((p) => p.getBoundingClientRect().toJSON()));
  check(markers.length === placed, `${markers.length} markers for ${placed} placed attacks`);
  for (const m of markers) {
    check(m.width > 4 && m.x >= box.x && m.x + m.width <= box.x + box.width && m.y >= box.y && m.y + m.height <= box.y + box.height,
      `a marker off the map: ${JSON.stringify(m)} in ${JSON.stringify(box)}`);
  }
  // Leaflet leaves the outlines out of view empty ("M0 0"): those drawn
  // cover some of the view, and the markers lie on land.
  const filled = await page.locator('#map path.country').evaluateAll((ps, b) => ps.filter((p) => {
    const r = p.getBoundingClientRect();
    return p.getAttribute('d') !== 'M0 0' && r.width * r.height > 100 &&
      r.right > b.x && r.left < b.x + b.width && r.bottom > b.y && r.top < b.y + b.height;
  }).length, box);
  check(filled > 0 && filled < countries, `${filled} of ${countries} countries drawn in view`);
  const onLand = await page.evaluate((ms) => {
    // The outlines take no pointer events; hit-testing needs them to.
    const ps = [...document.querySelectorAll('#map path.country')];
    for (const p of ps) p.style.pointerEvents = 'visiblePainted';
    const hit = ms.map((m) => document.elementsFromPoint(m.x + m.width / 2, m.y + m.height / 2)
      .some((e) => e.classList?.contains('country')));
    for (const p of ps) p.style.pointerEvents = '';
    return hit;
  }, markers);
  check(onLand.every(Boolean), `markers over a country: ${onLand}`);
  if (shot) await page.screenshot({ path: also('map') });
  await page.locator('#map path.attack-marker').first().click();
  await page.waitForFunction(() => /^#\/incident\/[0-9]+/.test(location.hash));
  await page.locator('.attack-facts').waitFor();
  ok(`the map draws ${countries} countries and ${markers.length} markers in view (${filled} countries under them); a marker opens its attack`);

  // ---- The timeline: brushing the later half narrows the list.
  await page.goto(`${base}#/incidents`);
  await rows().first().waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('svg.strip .attack-mark').length === n, total + 1);
  const marks = await page.locator('svg.strip .attack-mark line').evaluateAll((ls) => ls.map((l) => {
    const r = l.getBoundingClientRect();
    return { x: r.x + r.width / 2, day: l.parentNode.dataset.day };
  }));
  marks.sort((a, b) => a.x - b.x);
  check(marks.length === total + 1, `${marks.length} attacks on the strip for ${total + 1}`);
  const strip = await page.locator('svg.strip').boundingBox();
  const mid = Math.floor(marks.length / 2);
  const fromX = (marks[mid - 1].x + marks[mid].x) / 2;
  const y = strip.y + strip.height / 2;
  await page.mouse.move(fromX, y);
  await page.mouse.down();
  await page.mouse.move(strip.x + strip.width - 2, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => /since=/.test(location.hash));
  const p = new URLSearchParams(hash().split('?')[1]);
  const since = p.get('since');
  const until = p.get('until');
  const want = [...dates, mergedDate].filter((d) => d >= since && d <= until).length;
  check(want > 0 && want < total + 1, `the brush chose ${since} to ${until}, holding ${want} of ${total + 1}`);
  await page.waitForFunction((n) => document.querySelector('.attack-count')?.dataset.total === String(n) &&
    document.querySelectorAll('table.attacks tbody tr').length === n, want);
  check(await apiTotal(`since=${since}&until=${until}`) === want, 'the API counts otherwise');
  check(await page.locator('svg.strip .brush').getAttribute('visibility') === 'visible', 'the brushed range is not shown');
  ok(`brushing ${since} to ${until} narrows the list to ${want} attacks`);

  // The map keeps the range.
  await page.locator('.view-head a', { hasText: 'on the map' }).click();
  await headingIs('Map');
  check(hash().includes(`since=${since}`), `the map's hash ${hash()}`);
  const placedInRange = placedDates.filter((d) => d >= since && d <= until).length;
  await page.waitForFunction((n) => document.querySelector('#map')?.dataset.markers === String(n), placedInRange);
  ok(`the map shows the brushed range: ${placedInRange} markers`);

  // ---- Ruling the split records one attack again, from the attacks nearby.
  await page.goto(`${base}#/incidents`);
  await page.waitForFunction((n) => document.querySelectorAll('table.attacks tbody tr').length === n, total + 1);
  await page.locator('table.attacks tbody tr', { has: page.locator('td.date', { hasText: mergedDate }) }).first().locator('a').click();
  const twin = page.locator('.nearby-list li', { has: page.locator('a', { hasText: mergedDate }) });
  await twin.waitFor();
  check(await page.locator('.nearby-list li').count() >= 2, 'the attack a week later is not offered');
  await twin.locator('button.same').click();
  await page.locator('.merge .links .badge.ruling').waitFor();
  check((await page.locator('.merge .links .why').textContent()).length > 0, 'a ruling\'s link says nothing');
  await page.goto(`${base}#/incidents`);
  await page.waitForFunction((n) => document.querySelectorAll('table.attacks tbody tr').length === n &&
    document.querySelector('.attack-count')?.dataset.total === String(n), total);
  ok(`"Same attack" beside the other ${mergedDate} record makes them one again: ${total} attacks`);

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');
}

drive('incidents', run);
