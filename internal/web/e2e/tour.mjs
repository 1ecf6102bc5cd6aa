// tour.mjs is the issue's done-when tour: a new user of the sample case,
// as 'mosaic demo' serves it, who has read no docs and follows only the
// links and buttons the page shows.
//
//   node tour.mjs http://127.0.0.1:PORT/
//
// CTU's analyst (MOSAIC_USER, MOSAIC_PASSWORD, of MOSAIC_AGENCY) logs in and
// sees their agency; searches a name of the case, opens the person, charts
// them and adds a neighbour's neighbours (pixels drawn, nodes added as the
// API's ego network says); uploads MOSAIC_UPLOAD_FILE and finds its word
// (MOSAIC_UPLOAD_WORD); brushes the incidents' timeline and opens the map.
// The lone-actor check, on CTU's material alone, links no one to a group:
// the analyst asks who else holds material on a lone actor, requests a
// share of the owning agency (MOSAIC_OWNER_AGENCY), whose admin
// (MOSAIC_OWNER_USER, MOSAIC_OWNER_PASSWORD) approves it from the requests
// inbox; back as CTU's analyst the request reads approved. Then, from a
// search, the analyst draws the path from the lone actor to the organiser
// (MOSAIC_ORGANISER, from 'mosaic lone-actors' over the whole case),
// counting the clicks, opens each hop's sentences with one click on the
// chart, checked against the API and the documents' own text, and does
// the same from the lone-actor check for the longest path it finds.
// With MOSAIC_SCREENSHOT=/path/shot.png it saves shot-STEP.png at each step.

import { check, drive, ok } from './browser.mjs';

const env = process.env;
const shot = env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);
// EGO is how many neighbours the chart asks for at a time (chart.js's
// EGO_LIMIT): the API is asked the same.
const EGO = 150;

async function run(page, problems, base) {
  // The tour reads the whole sample case, and CI runs it beside every
  // other package's tests under the race detector: the lone-actor check
  // and the paths it asks the server for take seconds there, not the
  // tenths they take alone. What is checked is what the page shows, not
  // how fast.
  page.setDefaultTimeout(45_000);
  for (const k of ['MOSAIC_AGENCY', 'MOSAIC_OWNER_AGENCY', 'MOSAIC_OWNER_USER', 'MOSAIC_OWNER_PASSWORD', 'MOSAIC_ORGANISER', 'MOSAIC_UPLOAD_FILE', 'MOSAIC_UPLOAD_WORD']) {
    check(env[k], `set ${k} (TestBrowserTour in cmd/mosaic runs this script)`);
  }
  // Which request a console error's failed load was: the console names
  // only the status.
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`); });
  const snap = async (name, full = false) => { if (shot) await page.screenshot({ path: also(name), fullPage: full }); };
  const text = async (sel) => ((await page.locator(sel).first().textContent()) || '').replace(/\s+/g, ' ').trim();
  const headingIs = (want) => page.waitForFunction((w) => document.querySelector('#view h1')?.textContent === w, want);
  // api asks the server what the page should show, with the page's session.
  const api = (path) => page.evaluate(async (p) => {
    const r = await fetch(`api/v1/${p}`, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${p}: ${r.status}`);
    return r.json();
  }, path);

  // ---- Logged in (browser.mjs logged in through the form): who and where.
  await page.locator('#collections a[data-collection]').nth(1).waitFor();
  const who = await text('#who');
  check(who.includes(env.MOSAIC_USER) && who.includes(env.MOSAIC_AGENCY), `the header says "${who}", want the user and ${env.MOSAIC_AGENCY}`);
  // The role is written, and the tools offered are an analyst's: "Other
  // agencies" (analysts and admins), not "Administration" (admins).
  check(who.includes(`${env.MOSAIC_USER} (analyst)`), `the header says "${who}", want the role`);
  check(await page.locator('#agencies-tool').isVisible() && !(await page.locator('#admin-tool').isVisible()),
    'an analyst is not offered Other agencies without Administration');
  ok(`the header says "${who}"`);
  await snap('login');

  // ---- A name of the case, searched.
  const lone = 'Zakaria Mansour';
  await page.locator('#q').fill('Mansour');
  await page.locator('#search-form button[type=submit]').click();
  await page.locator('.hits > li').first().waitFor();
  const hits = await api('search?q=Mansour&limit=1');
  check((await text('#view h1')) === `${hits.total} results`, `the search says ${await text('#view h1')}, the API ${hits.total} results`);
  const person = page.locator('.people a.entity', { hasText: lone });
  await person.waitFor();
  ok(`searching Mansour lists ${hits.total} documents and ${lone} among the people`);
  await snap('search');

  // ---- The person, then the chart, then a neighbour expanded.
  await person.click();
  await headingIs(lone);
  const mansour = new URL(page.url()).hash.match(/^#\/entity\/([0-9]+)/)[1];
  await snap('entity', true);
  await page.locator('#view a.chart-link', { hasText: /^Chart$/ }).click();
  await headingIs('Link chart');
  const stage = page.locator('.chart-stage');
  await page.waitForFunction(() => window.mosaicChart && document.querySelector('.chart-stage[data-nodes]'));
  const shown = async () => Number(await stage.getAttribute('data-nodes'));
  const drawn = () => page.evaluate(() => window.mosaicChart.drawn());
  const onChart = () => page.locator('.chart-nodes button').evaluateAll((bs) => bs.map((b) => b.dataset.node));
  const ego = await api(`entities/${mansour}/ego?hops=1&limit=${EGO}`);
  const first = await shown();
  check(first === new Set([mansour, ...ego.entities.map((x) => String(x.entity))]).size,
    `the chart of ${lone} shows ${first} entities, the API's ego network ${ego.entities.length}`);
  const pixels = await drawn();
  check(pixels > 500, `the canvas drew ${pixels} pixels`);
  // clickOn clicks a node or the middle of a link where sigma drew it,
  // until the panel shows what done waits for: the layout may still be
  // settling on a slow machine.
  const clickOn = async (id, done) => {
    for (let tries = 0; ; tries++) {
      await stage.scrollIntoViewIfNeeded();
      const p = await page.evaluate((k) => window.mosaicChart.at(k), id);
      check(p, `${id} is not on the chart`);
      await page.mouse.click(p.x, p.y);
      try {
        await done.waitFor({ timeout: 3000 });
        return tries + 1;
      } catch (err) {
        if (tries === 4) throw err;
      }
    }
  };
  // The neighbour to expand: one whose own neighbours are not all drawn.
  const have = new Set(await onChart());
  let grow = null;
  for (const n of ego.entities) {
    const id = String(n.entity);
    if (id === mansour) continue;
    const theirs = await api(`entities/${id}/ego?hops=1&limit=${EGO}`);
    const fresh = theirs.entities.map((x) => String(x.entity)).filter((x) => !have.has(x));
    if (fresh.length && theirs.complete) { grow = { id, name: n.name, fresh: new Set(fresh).size }; break; }
  }
  check(grow, `no neighbour of ${lone} has neighbours of their own to add`);
  await clickOn(grow.id, page.locator('#chart-expand'));
  await page.locator('#chart-expand').click();
  await page.waitForFunction((n) => Number(document.querySelector('.chart-stage').dataset.nodes) > n, first);
  await page.waitForFunction((n) => Number(document.querySelector('.chart-stage').dataset.nodes) === n, first + grow.fresh, { timeout: 5000 }).catch(() => {});
  const grown = await shown();
  check(grown === first + grow.fresh, `adding ${grow.name}'s neighbours shows ${grown} entities, want ${first} + ${grow.fresh} the API adds`);
  const more = await drawn();
  check(more > 500, `the expanded chart drew ${more} pixels`);
  ok(`the chart of ${lone} draws ${first} entities (${pixels} pixels); "Add neighbours" on ${grow.name} makes ${grown}`);
  await snap('chart');

  // ---- Upload a file, as the page's upload view offers.
  await page.locator('#tools a[href="#/upload"]').click();
  await headingIs('Upload files');
  await page.locator('#upload-collection').fill('tour-uploads');
  await page.locator('#upload-files').setInputFiles(env.MOSAIC_UPLOAD_FILE);
  const row = page.locator('.upload-row');
  check((await row.count()) === 1 && (await row.getAttribute('data-state')) === 'waiting', 'the chosen file has no waiting row');
  await page.locator('.upload-form button[type=submit]').click();
  await page.waitForFunction(() => [...document.querySelectorAll('.upload-row')].every((r) => !['waiting', 'reading'].includes(r.dataset.state)), null, { timeout: 60_000 });
  check((await row.getAttribute('data-state')) === 'added', `the file ended ${await row.getAttribute('data-state')}: ${await text('.upload-row')}`);
  check((await text('.upload-row .stored')) === '1 document, 1 new', `the row says ${await text('.upload-row .stored')}`);
  await page.locator('#collections a[data-collection="tour-uploads"]').waitFor();
  await page.locator('#q').fill(env.MOSAIC_UPLOAD_WORD);
  await page.locator('#search-form button[type=submit]').click();
  await page.locator('.hits > li').first().waitFor();
  check((await page.locator('.hits > li').count()) === 1, `${await page.locator('.hits > li').count()} hits for the uploaded word`);
  ok('a text file uploaded into a new collection: its row says added, 1 document; search finds it');
  await snap('upload');

  // ---- The incidents' timeline, brushed; the map.
  await page.locator('#tools a[href="#/incidents"]').click();
  await headingIs('Incidents');
  const all = await api('incidents?limit=1000');
  check(all.total > 1, `the API counts ${all.total} attacks`);
  await page.waitForFunction((n) => document.querySelectorAll('svg.strip .attack-mark').length === n &&
    document.querySelectorAll('table.attacks tbody tr').length === n, all.total);
  const marks = (await page.locator('svg.strip .attack-mark line').evaluateAll((ls) => ls.map((l) => {
    const r = l.getBoundingClientRect();
    return r.x + r.width / 2;
  }))).sort((a, b) => a - b);
  const strip = await page.locator('svg.strip').boundingBox();
  const mid = Math.floor(marks.length / 2);
  const y = strip.y + strip.height / 2;
  await page.mouse.move((marks[mid - 1] + marks[mid]) / 2, y);
  await page.mouse.down();
  await page.mouse.move(strip.x + strip.width - 2, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForFunction(() => /since=/.test(location.hash));
  const range = new URLSearchParams(decodeURIComponent(new URL(page.url()).hash).split('?')[1]);
  const since = range.get('since');
  const until = range.get('until');
  const brushed = await api(`incidents?limit=1000&since=${since}&until=${until}`);
  check(brushed.total > 0 && brushed.total < all.total, `the brush ${since}–${until} keeps ${brushed.total} of ${all.total}`);
  await page.waitForFunction((n) => document.querySelectorAll('table.attacks tbody tr').length === n, brushed.total);
  ok(`brushing the timeline ${since} to ${until} narrows the list from ${all.total} to ${brushed.total} attacks`);
  // The tempo box answers for any brushed range: a Ramadan ratio the
  // range cannot estimate is said so beside the counts, not refused.
  await page.waitForFunction(() => !document.querySelector('#view [aria-busy="true"]'));
  const tempoFailed = failed.filter((f) => /\/api\/v1\/tempo\?/.test(f));
  check(tempoFailed.length === 0, `tempo requests failed: ${tempoFailed.join(', ')}`);
  check(await page.locator('.tempo svg.tempo-chart').count() === 1, 'the brushed range has no tempo chart');
  await snap('incidents', true);
  const places = (r) => new Set(r.incidents.filter((a) => a.latitude != null && a.longitude != null)
    .map((a) => `${a.latitude.toFixed(4)},${a.longitude.toFixed(4)}`)).size;
  await page.locator('.view-head a', { hasText: 'on the map' }).click();
  await headingIs('Map');
  await page.waitForFunction(() => document.querySelector('#map.leaflet-container')?.dataset.markers);
  const mapShows = async (want) => {
    await page.waitForFunction((n) => document.querySelector('#map')?.dataset.markers === String(n) &&
      document.querySelectorAll('#map path.attack-marker').length === n, want);
    const countries = await page.locator('#map path.country').evaluateAll((ps) => ps.filter((p) => p.getAttribute('d') !== 'M0 0').length);
    check(countries > 20, `${countries} country outlines drawn`);
    return countries;
  };
  const inRange = places(brushed);
  check(inRange > 0, `no attack of ${since}–${until} has a place`);
  await mapShows(inRange);
  ok(`the map keeps the brushed range: ${inRange} places marked`);
  await page.locator('#tools a[href="#/map"]').click();
  await page.waitForFunction(() => !/since=/.test(location.hash));
  const everywhere = places(all);
  const countries = await mapShows(everywhere);
  check(everywhere > inRange, `the whole map marks ${everywhere} places, the brushed one ${inRange}`);
  ok(`the map from the sidebar: a Leaflet map with ${countries} country outlines drawn and ${everywhere} places marked`);
  await snap('map');

  // ---- The lone-actor check, on CTU's own material.
  await page.locator('#tools a[href="#/lone-actors"]').click();
  await headingIs('Lone-actor check');
  await page.locator('.actors > li').first().waitFor();
  const before = await api('lone-actors');
  check((await page.locator('.actors > li').count()) === before.lone_actors.length, 'the check lists other people than the API');
  const actor = page.locator('.actors > li', { has: page.locator('h2 a.entity', { hasText: lone }) });
  const linkedBefore = before.lone_actors.find((la) => String(la.person) === mansour)?.linked;
  check(linkedBefore === false && (await actor.locator('.badge.unlinked').count()) === 1,
    `${lone} before any share: the API says linked ${linkedBefore}, the page ${await actor.locator('.badge').allTextContents()}`);
  ok(`${lone} is called a lone actor; CTU's material alone links him to no group (${before.lone_actors.filter((la) => la.linked).length} of ${before.lone_actors.length} linked)`);
  await snap('lone-actors-alone', true);

  // ---- Who else holds material on him: a share asked of the Bureau.
  await actor.locator('h2 a.entity').click();
  await headingIs(lone);
  await page.locator('a', { hasText: 'Who else holds material on them?' }).click();
  await headingIs('Other agencies');
  const owner = page.locator(`.holder[data-agency="${env.MOSAIC_OWNER_AGENCY}"]`);
  await owner.waitFor();
  const found = await api(`discover?q=${encodeURIComponent(lone)}`);
  const bucket = found.holders.find((h) => h.agency === env.MOSAIC_OWNER_AGENCY)?.documents;
  const says = await text('.holders .path-summary');
  check(bucket && says.includes('hold material on the name') && (await owner.locator('.badge.bucket').textContent()).startsWith(bucket),
    `discovery says "${says}", ${await owner.textContent()}; the API ${JSON.stringify(found.holders)}`);
  await owner.locator('button', { hasText: 'Request a share' }).click();
  await owner.locator('.share-form input').fill(`${lone} is called a lone actor: is he linked to a group?`);
  await owner.locator('.share-form button[type=submit]').click();
  await owner.locator('.said.done').waitFor();
  await page.locator('.asked-by li.share-pending', { hasText: lone }).waitFor();
  ok(`"${says} … ${env.MOSAIC_OWNER_AGENCY} ${bucket} documents": a share requested, pending`);
  await snap('share-asked', true);

  // ---- The Bureau's admin approves it from the requests inbox.
  await logInAs(page, env.MOSAIC_OWNER_USER, env.MOSAIC_OWNER_PASSWORD);
  await page.locator('#agencies-pending', { hasText: /^1$/ }).waitFor();
  await page.locator('#agencies-tool a').click();
  const request = page.locator('.asked-of li.share-pending', { hasText: lone });
  await request.waitFor();
  check((await request.textContent()).includes(env.MOSAIC_AGENCY), `the request reads ${await request.textContent()}`);
  await request.locator('.decision input').fill('Shared for the lone-actor review.');
  await request.locator('button', { hasText: 'Approve' }).click();
  const approved = page.locator('.asked-of li.share-approved', { hasText: lone });
  await approved.waitFor();
  ok(`${env.MOSAIC_OWNER_USER} sees the request counted in the sidebar and approves it`);
  await snap('share-approve', true);

  // ---- Back as CTU's analyst: approved, and a collection shared.
  await logInAs(page, env.MOSAIC_USER, env.MOSAIC_PASSWORD);
  await page.locator('#agencies-tool a').click();
  const answered = page.locator('.asked-by li.share-approved', { hasText: lone });
  await answered.waitFor();
  const collection = await answered.locator('a.chip').textContent();
  await page.locator(`#collections a[data-collection="${collection}"]`).waitFor();
  ok(`CTU's analyst reads the request approved, shared as ${collection}, now in the sidebar`);
  await snap('share-approved', true);

  // ---- From a search to the drawn path to the organiser, counting clicks.
  const after = await api('lone-actors');
  const his = after.lone_actors.find((la) => String(la.person) === mansour);
  check(his?.linked && after.names[his.target] === env.MOSAIC_ORGANISER,
    `after the share the API links ${lone} to ${his && after.names[his.target]}, want the organiser ${env.MOSAIC_ORGANISER}`);
  let clicks = 0;
  const click = async (locator) => { await locator.click(); clicks++; };
  await page.locator('#q').fill('Mansour');
  await click(page.locator('#search-form button[type=submit]'));
  await click(page.locator('.people a.entity', { hasText: lone }));
  await headingIs(lone);
  await click(page.locator('#view a.chart-link', { hasText: 'Chart the path to a group' }));
  await page.waitForFunction(() => document.querySelector('.chart-stage')?.dataset.path);
  const path = await stage.getAttribute('data-path');
  check(path === his.path.entities.join(','), `the chart's path is ${path}, the lone-actor check's ${his.path.entities.join(',')}`);
  const chain = await page.locator('.chart-panel .chain a.entity').allTextContents();
  const chainIDs = await page.locator('.chart-panel .chain a.entity').evaluateAll((as) => as.map((a) => a.dataset.entity));
  check(chainIDs.join(',') === path && chain[0] === lone, `the path reads ${chain.join(' → ')} (${chainIDs})`);
  // The organiser under the name his profile gives this user now, not
  // one met before the share (the page forgets names when a user signs
  // out).
  const profile = await api(`entities/${his.target}`);
  check(chain[chain.length - 1] === profile.name, `the path ends at "${chain[chain.length - 1]}", his profile says ${profile.name}`);
  const pathPixels = await drawn();
  check(pathPixels > 500, `the path's chart drew ${pathPixels} pixels`);
  console.log(`${clicks} clicks from the search to the drawn path (${chain.join(' → ')}), after typing the name`);
  ok(`search → ${lone} → "Chart the path to a group": ${chain.join(' → ')} drawn, ${pathPixels} pixels`);
  await snap('path');
  await hopSentences(his.path.entities);

  // ---- From the lone-actor check: the longest path it finds.
  const longest = after.lone_actors.filter((la) => la.linked).sort((a, b) => b.path.hops.length - a.path.hops.length)[0];
  await page.locator('#tools a[href="#/lone-actors"]').click();
  await headingIs('Lone-actor check');
  const item = page.locator('.actors > li', { has: page.locator(`h2 a.entity[data-entity="${longest.person}"]`) });
  await item.locator('a.chart-link', { hasText: 'Chart the path' }).click();
  await page.waitForFunction(() => document.querySelector('.chart-stage')?.dataset.path);
  check((await stage.getAttribute('data-path')) === longest.path.entities.join(','),
    `the chart's path is ${await stage.getAttribute('data-path')}, the check's ${longest.path.entities.join(',')}`);
  const names = longest.path.entities.map((id) => after.names[id]);
  check(names[names.length - 1] === env.MOSAIC_ORGANISER, `the longest path ends at ${names[names.length - 1]}`);
  ok(`the lone-actor check's "Chart the path" draws ${names.join(' → ')} (${longest.path.hops.length} hops)`);
  await snap('lone-actor-path');
  await hopSentences(longest.path.entities);

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}\nfailed requests:\n  ${failed.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');

  // hopSentences clicks each hop of the drawn path on the chart, once,
  // and checks the panel quotes what the API says states the link, each
  // sentence cut from its document's own text at the offsets given; the
  // first hop's first document opens from its title, with the sentence.
  async function hopSentences(ids) {
    for (let i = 1; i < ids.length; i++) {
      const [a, b] = [ids[i - 1], ids[i]].map(Number).sort((x, y) => x - y);
      const edge = await api(`edge?a=${a}&b=${b}`);
      const want = `${edge.name_a} — ${edge.name_b}`;
      const stated = edge.evidence.map((ev) => ev.text.replace(/\s+/g, ' '));
      for (const ev of edge.evidence) {
        const d = await api(`documents/${ev.doc}`);
        const bytes = new TextEncoder().encode(d.document.text);
        const at = d.page?.start || 0;
        const cut = new TextDecoder().decode(bytes.slice(ev.sentence.start - at, ev.sentence.end - at));
        check(cut.replace(/\s+/g, ' ').trim() === ev.text.replace(/\s+/g, ' ').trim(),
          `${want}: "${ev.text}" is not the text of ${ev.title} at ${ev.sentence.start}–${ev.sentence.end} ("${cut}")`);
      }
      const tries = await clickOn(`${a}-${b}`, page.locator(`.chart-panel .edge-title:has(a[data-entity="${a}"]):has(a[data-entity="${b}"])`));
      await page.waitForFunction(() => document.querySelector('.chart-panel .evidence .quote'));
      let quotes = await page.locator('.chart-panel .evidence .quote').allTextContents();
      const where = `one click on the link${tries > 1 ? ` (${tries} tries while the layout settled)` : ''}`;
      quotes = quotes.map((q) => q.replace(/\s+/g, ' '));
      check(JSON.stringify(quotes) === JSON.stringify(stated), `${want}: the panel quotes ${JSON.stringify(quotes)}, the API ${JSON.stringify(stated)}`);
      ok(`hop ${i}, ${want}: ${where} quotes its ${quotes.length} sentence(s), each its document's text`);
      if (i === 1) {
        const doc = page.locator('.chart-panel .ev-doc').first();
        const docTitle = await doc.textContent();
        await doc.click();
        await headingIs(docTitle);
        const body = (await page.locator('#doctext').textContent()).replace(/\s+/g, ' ');
        check(body.includes(quotes[0]), `${docTitle} does not hold "${quotes[0]}"`);
        ok(`its first document, ${docTitle}, opens from the quote and holds the sentence`);
        await page.goBack();
        await page.waitForFunction(() => document.querySelector('.chart-stage')?.dataset.path && window.mosaicChart);
      }
    }
  }
}

// logInAs logs out and logs in as user through the page's form.
async function logInAs(page, user, password) {
  await page.locator('#logout').click();
  await page.locator('#login-form').waitFor();
  await page.locator('#login-user').fill(user);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#who').waitFor();
  const who = await page.locator('#who-name').textContent();
  check(who.startsWith(user), `logged in as ${who}, want ${user}`);
}

drive('tour', run);
