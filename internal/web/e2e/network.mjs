// network.mjs drives a real Chromium through Mosaic's entity and network
// views.
//
//   node network.mjs http://127.0.0.1:PORT/
//
// It expects the network fixture of internal/web's tests
// (TestBrowserNetwork starts the server with it): the first page's
// fictional case plus case notes in which Oskar Feldhaus, called a lone
// actor, was in touch with Marten Quist, a member of the Northgate
// Brotherhood (a sentence followed by hostile HTML), who allegedly met Idris
// Kallweit; a note denies that Feldhaus was in touch with Kallweit, and
// Lieke Brandsma, also called a lone actor, is linked to no one. Entities
// are resolved. With MOSAIC_SCREENSHOT=/path/shot.png it saves the entity
// view with its paths there, and the lone-actor check beside it as
// shot-lone-actors.png.

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);

const sentences = {
  contact: 'Oskar Feldhaus was in touch with Marten Quist in March 2017.',
  hedged: 'Marten Quist allegedly met Idris Kallweit in Antwerp.',
  denied: 'Oskar Feldhaus was not in touch with Idris Kallweit.',
  member: `Marten Quist is a member of the Northgate Brotherhood <img src=x onerror="window['__mosaicPwned']='evidence'">.`,
  claim: 'Police said Oskar Feldhaus acted alone in the arson at the depot in Ghent.',
  otherClaim: 'The prosecutor said Lieke Brandsma acted alone.',
};

async function run(page, problems, base) {
  const text = (sel) => page.locator(sel).first().textContent();
  const heading = () => text('#view h1');
  const headingIs = (want) => page.waitForFunction((w) => document.querySelector('#view h1')?.textContent === w, want);
  const hash = () => decodeURIComponent(new URL(page.url()).hash);
  // texts lists the text of each element a selector finds.
  const texts = (sel) => page.locator(sel).allTextContents();

  // ---- A resolved mention in the reader links to its entity.
  await page.goto(base);
  await page.locator('#collections a[data-collection="case-notes"]').click();
  await headingIs('case-notes');
  await page.locator('table.docs a', { hasText: 'Case note 1: the depot arson' }).click();
  await page.locator('#doctext').waitFor();
  const links = await page.locator('#doctext a.m').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
  check(links.length === 5 && links.every(([, h]) => /^#\/entity\/[0-9]+$/.test(h)), `mention links ${JSON.stringify(links)}`);
  const feldhaus = links.find(([t]) => t === 'Oskar Feldhaus')[1];
  check(links.find(([t]) => t === 'Feldhaus')[1] === feldhaus, 'the bare surname does not link to the full name\'s entity');
  ok('every resolved mention in the text links to its entity; "Feldhaus" to the same one as "Oskar Feldhaus"');

  await page.locator('#doctext a.m', { hasText: /^Feldhaus$/ }).click();
  await headingIs('Oskar Feldhaus');
  check(hash() === feldhaus, `clicking the mention went to ${hash()}, want ${feldhaus}`);
  const spellings = await texts('table.names tbody th .spelling');
  check(JSON.stringify(spellings) === '["Oskar Feldhaus","Feldhaus"]', `spellings ${JSON.stringify(spellings)}`);
  const bare = page.locator('table.names tbody tr', { has: page.locator('.spelling', { hasText: /^Feldhaus$/ }) });
  check((await bare.locator('.why li').allTextContents()).some((w) => w.startsWith('surname alone after the full name')),
    `why "Feldhaus" was tied: ${await bare.locator('.why').textContent()}`);
  check((await bare.locator('.doclist a.doc').allTextContents()).join() === 'Case note 1: the depot arson', `documents of "Feldhaus": ${await bare.locator('.doclist a.doc').allTextContents()} (${await bare.count()} rows)`);
  check((await texts('.facts .chip')).join() === 'case-notes', `collections ${await texts('.facts .chip')}`);
  check((await texts('.timeline a.doc')).join('|') === 'Case note 1: the depot arson|Case note 2: phone records', 'timeline');
  check((await texts('.connections a.entity')).sort().join('|') === 'Ghent|Idris Kallweit|Marten Quist', `named with ${await texts('.connections a.entity')}`);
  ok('clicking the mention "Feldhaus" opens Oskar Feldhaus: both spellings, why each was tied, documents, timeline, connections');

  // ---- Neighbours: one hop, then two.
  await page.locator('.neighbours .ring').first().waitFor();
  check((await texts('.neighbours a.entity')).join() === 'Marten Quist', `1 hop: ${await texts('.neighbours a.entity')}`);
  await page.locator('.network button[data-hops="2"]').click();
  await page.locator('.neighbours .ring[data-hops="2"]').waitFor();
  check((await texts('.ring[data-hops="1"] a.entity')).join() === 'Marten Quist', '1 hop after switching to 2');
  check((await texts('.ring[data-hops="2"] a.entity')).sort().join('|') === 'Idris Kallweit|Northgate Brotherhood',
    `2 hops: ${await texts('.ring[data-hops="2"] a.entity')}`);
  check(hash() === `${feldhaus}?hops=2`, `hash after 2 hops: ${hash()}`);
  ok('neighbours: Marten Quist within 1 hop; Idris Kallweit and the Northgate Brotherhood at 2 hops');

  // Names merely mentioned together are followed only when asked.
  const ringHas = (name) => page.waitForFunction((n) => document.querySelector('.neighbours[aria-busy]') === null &&
    [...document.querySelectorAll('.ring[data-hops="1"] a.entity')].some((a) => a.textContent === n), name);
  await page.locator('#follow-co').check();
  await ringHas('Ghent');
  check(hash() === `${feldhaus}?hops=2&co=1`, `hash with co-occurrence: ${hash()}`);
  await page.locator('#follow-co').uncheck();
  await page.waitForFunction(() => document.querySelector('.neighbours[aria-busy]') === null &&
    [...document.querySelectorAll('.ring[data-hops="1"] a.entity')].map((a) => a.textContent).join() === 'Marten Quist');
  ok('following names mentioned together adds Ghent within 1 hop, and unticking it takes it away');

  // ---- "How?" beside a neighbour shows the path to it, through the hostile sentence.
  await page.locator('.ring[data-hops="2"] li', { hasText: 'Northgate Brotherhood' }).locator('a.how').click();
  await page.waitForFunction(() => document.querySelectorAll('.path-result .hop').length === 2);
  check((await page.locator('#path-to').inputValue()) === 'Northgate Brotherhood', 'how? did not fill in the path form');
  const last = page.locator('.path-result .hop').nth(1);
  check((await last.locator('.quote').textContent()) === sentences.member, `membership quoted as ${await last.locator('.quote').textContent()}`);
  check((await last.locator('.rels').textContent()).startsWith('member'), 'membership hop type');
  check((await page.locator('#view img, #view script').count()) === 0, 'hostile evidence became elements');
  check(await page.evaluate(() => window.__mosaicPwned === undefined), 'a script from hostile evidence ran');
  check((await page.locator('.path-result .direct').count()) === 0, 'a direct box with no direct evidence');
  ok('"how?" beside the Northgate Brotherhood shows the path through Quist\'s membership; its hostile evidence shows as text');

  // ---- Path to a name with two candidates: the denied direct link and the path around it.
  // A slow answer shows that it is loading.
  let release;
  const held = new Promise((r) => { release = r; });
  const pathAPI = (u) => u.pathname === '/api/v1/path';
  await page.route(pathAPI, async (route) => { await held; await route.continue(); });
  await page.locator('#path-to').fill('Kallweit');
  await page.locator('.path-form button[type=submit]').click();
  await page.locator('.picks .candidate').first().waitFor();
  const cands = await texts('.picks .candidate .label');
  check(cands.includes('Idris Kallweit') && cands.includes('Kallweit'), `candidates ${JSON.stringify(cands)}`);
  await page.locator('.picks .candidate', { hasText: 'Idris Kallweit' }).click();
  await page.locator('.path-result .pending').waitFor();
  check((await text('.path-result .pending')).startsWith('Finding paths from Oskar Feldhaus to Idris Kallweit'),
    `loading note ${await text('.path-result .pending')}`);
  check(await page.locator('.path-result').getAttribute('aria-busy') === 'true', 'the path box is not marked busy');
  ok('"Kallweit" offers two candidates; while the path loads, the box says so');
  release();
  await page.locator('.path-result .path').first().waitFor();
  await page.unroute(pathAPI);

  const direct = page.locator('.path-result .direct');
  check((await direct.locator('h3').textContent()) === 'Direct link denied', `direct box ${await direct.locator('h3').textContent()}`);
  check((await direct.locator('.quote').textContent()) === sentences.denied, `denial quoted as ${await direct.locator('.quote').textContent()}`);
  check((await direct.locator('.ev.negated .badge.negated').textContent()) === 'negated', 'the denial is not marked negated');
  check((await direct.locator('.ev-doc').textContent()) === 'Case note 1: the depot arson', 'the denial\'s document');
  ok('the direct link Feldhaus–Kallweit shows as denied, quoting "was not in touch with" and its document');

  check((await page.locator('.path-result .path').count()) === 1, 'not one path');
  const chain = await texts('.path .chain a.entity');
  check(chain.join(' → ') === 'Oskar Feldhaus → Marten Quist → Idris Kallweit', `chain ${chain.join(' → ')}`);
  const hops = page.locator('.path .hop');
  check((await hops.count()) === 2, 'the path has not 2 hops');
  check((await hops.nth(0).locator('.quote').textContent()) === sentences.contact, `hop 1 quotes ${await hops.nth(0).locator('.quote').textContent()}`);
  check((await hops.nth(0).locator('.rels').textContent()).startsWith('contact'), 'hop 1 relation type');
  check((await hops.nth(0).locator('.badge').count()) === 0, 'hop 1 is marked hedged or negated');
  check((await hops.nth(0).locator('.quote .cue').textContent()) === 'was in touch with', 'hop 1 cue');
  check((await hops.nth(1).locator('.quote').textContent()) === sentences.hedged, `hop 2 quotes ${await hops.nth(1).locator('.quote').textContent()}`);
  check((await hops.nth(1).locator('.hop-head .badge.hedged').count()) === 1 && (await hops.nth(1).locator('.ev.hedged').count()) === 1,
    'hop 2 is not marked hedged');
  ok('the path Feldhaus → Quist → Kallweit quotes each hop\'s sentence, the second marked hedged');
  const pathHash = hash();
  check(pathHash.startsWith(`${feldhaus}?`) && new URLSearchParams(pathHash.split('?')[1]).get('to') !== null, `path hash ${pathHash}`);
  if (shot) await page.screenshot({ path: shot, fullPage: true });

  // The evidence's title opens the document; back shows the path again.
  await hops.nth(0).locator('.ev-doc').click();
  await headingIs('Case note 2: phone records');
  check((await page.locator('#doctext').textContent()).includes(sentences.contact), 'the evidence document lacks the sentence');
  await page.goBack();
  await page.locator('.path-result .path').waitFor();
  check(hash() === pathHash, `back went to ${hash()}`);
  check((await page.locator('#path-to').inputValue()) === 'Idris Kallweit', 'the path form forgot whom to');
  ok('an evidence title opens its document; back shows the same path again');

  // ---- No path.
  await page.locator('#path-to').fill('Brandsma');
  await page.locator('.path-form button[type=submit]').click();
  await page.locator('.path-result .no-path').waitFor();
  check((await text('.path-result .no-path')).startsWith('No path from Oskar Feldhaus to Lieke Brandsma within 6 hops'),
    `no-path says ${await text('.path-result .no-path')}`);
  check((await page.locator('.path-result .path, .path-result .direct').count()) === 0, 'a path or direct link shown for no path');
  ok('the one candidate for "Brandsma" is taken at once: a clear "No path"');

  // ---- Search: people and organisations above the documents.
  await page.locator('#q').fill('Kallweit');
  await page.keyboard.press('Enter');
  await page.locator('.people a.entity').first().waitFor();
  const people = await texts('.people a.entity');
  check(people.includes('Idris Kallweit') && people.includes('Kallweit'), `people ${JSON.stringify(people)}`);
  await page.locator('.people a.entity', { hasText: 'Idris Kallweit' }).click();
  await headingIs('Idris Kallweit');
  const spelled = await texts('table.names tbody th .spelling');
  check(spelled.includes('Idris Kallweit') && spelled.includes('Kallweit'), `Kallweit spellings ${JSON.stringify(spelled)}`);
  check((await texts('.facts .chip')).join() === 'case-notes,field-reports,intercepts', `Kallweit collections ${await texts('.facts .chip')}`);
  check((await texts('table.names a.doc')).includes(`<script>window.__mosaicPwned="title"</script><b>Hostile memo</b>`),
    'the hostile memo\'s title is not listed literally');
  check((await page.locator('#view script, #view b').count()) === 0, 'the hostile title became markup');
  ok('searching "Kallweit" lists both entities; Idris Kallweit shows his spellings and the hostile title as text');

  // ---- The lone-actor check.
  await page.locator('#tools a[data-page="/lone-actors"]').click();
  await headingIs('Lone-actor check');
  await page.locator('.actors .actor').first().waitFor();
  const actors = page.locator('.actors > .actor');
  check((await actors.count()) === 2, `${await actors.count()} lone actors`);
  const first = actors.nth(0);
  check((await first.locator('h2 a.entity').textContent()) === 'Oskar Feldhaus', 'first lone actor');
  check((await first.locator('h2 .badge.linked').count()) === 1, 'Feldhaus is not marked linked');
  check((await first.locator('.claims .quote').textContent()) === sentences.claim, `claim ${await first.locator('.claims .quote').textContent()}`);
  check((await first.locator('.verdict').textContent()).startsWith('Linked to Marten Quist, a member of a group, in 1 hop'),
    `verdict ${await first.locator('.verdict').textContent()}`);
  check((await first.locator('.hop .quote').textContent()) === sentences.contact, 'the link\'s evidence');
  check((await first.locator('.hop .ev-doc').textContent()) === 'Case note 2: phone records', 'the link\'s document');
  const second = actors.nth(1);
  check((await second.locator('h2 a.entity').textContent()) === 'Lieke Brandsma', 'second lone actor');
  check((await second.locator('h2 .badge.unlinked').count()) === 1, 'Brandsma is not marked unlinked');
  check((await second.locator('.claims .quote').textContent()) === sentences.otherClaim, 'Brandsma\'s claim');
  check((await second.locator('.hop').count()) === 0, 'Brandsma has a path');
  check(await page.locator('#tools a[data-page="/lone-actors"]').getAttribute('aria-current') === 'page', 'sidebar does not mark the check');
  ok('lone-actor check: Feldhaus linked to Marten Quist with the evidence; Brandsma not linked; both with their claims');
  if (shot) await page.screenshot({ path: also('lone-actors'), fullPage: true });

  // ---- Judgements: a proposal merged, then undone.
  await page.locator('#q').fill('Idris Kallweit');
  await page.keyboard.press('Enter');
  await page.locator('.people a.entity', { hasText: 'Idris Kallweit' }).click();
  await headingIs('Idris Kallweit');
  const proposal = page.locator('.proposals li', { hasText: 'Kallweit' });
  await proposal.locator('button', { hasText: 'Same entity' }).click();
  check((await text('.judgements .said')).startsWith('Give a reason'), `no reason: ${await text('.judgements .said')}`);
  await page.locator('#judge-reason').fill('Same surname in the joint summary; checked the source.');
  await proposal.locator('button', { hasText: 'Same entity' }).click();
  await page.locator('.history li').first().waitFor();
  check((await text('.history li strong')) === 'Merged with', `history ${await text('.history li')}`);
  check((await text('.history .reason')) === 'Same surname in the joint summary; checked the source.', 'reason not kept');
  const merged = await texts('table.names a.doc');
  check(merged.includes('Joint summary: the Kallweit contacts'), `after the merge the documents are ${JSON.stringify(merged)}`);
  // The judgement is the logged-in user's.
  check((await text('.history .meta')).startsWith(`${process.env.MOSAIC_USER},`), `judged by ${await text('.history .meta')}`);
  await page.locator('#judge-reason').fill('The joint summary is about a cousin.');
  await page.locator('.history button', { hasText: 'Undo' }).click();
  await page.locator('.history .badge.undone').waitFor();
  check((await text('.history .badge.undone')).startsWith(`undone by ${process.env.MOSAIC_USER}`), `undo ${await text('.history .badge.undone')}`);
  check(!(await texts('table.names a.doc')).includes('Joint summary: the Kallweit contacts'), 'the undo did not split them again');
  ok('merging the proposed "Kallweit" asks for a reason, records the logged-in user, adds its document, and undoes');

  // ---- A flagged person joins the lone-actor check.
  await page.locator('.connections a.entity', { hasText: 'Marten Quist' }).click();
  await headingIs('Marten Quist');
  await page.locator('.judgements .flag button').waitFor();
  await page.locator('#judge-reason').fill('Seen at the depot the night of the arson.');
  await page.locator('.judgements .flag button').click();
  await page.locator('.judgements p.flag').waitFor();
  check((await text('.history li strong')) === 'Flagged for the lone-actor check', `history ${await text('.history li')}`);
  await page.locator('.judgements p.flag a').click();
  await headingIs('Lone-actor check');
  await page.waitForFunction(() => document.querySelectorAll('.actors > .actor').length === 3);
  const quist = page.locator('.actors > .actor', { has: page.locator('h2 a.entity', { hasText: 'Marten Quist' }) });
  check((await quist.locator('h2 .badge.flagged').count()) === 1, 'Quist is not marked flagged');
  check((await quist.locator('.verdict').textContent()).startsWith('Linked to Northgate Brotherhood, a group, in 1 hop'),
    `Quist's verdict ${await quist.locator('.verdict').textContent()}`);
  check((await quist.locator('.hop .quote').textContent()) === sentences.member, 'Quist\'s evidence');
  ok('flagging Marten Quist adds him to the lone-actor check, linked to the Northgate Brotherhood by his membership');

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, page errors or requests outside the server');

  // ---- Errors (the browser logs their status, so they come last).
  const neighboursAPI = (u) => u.pathname.endsWith('/neighbours');
  await page.route(neighboursAPI, (route) => route.fulfill({
    status: 500, contentType: 'application/json', body: JSON.stringify({ error: 'internal error; the server log has the details' }),
  }));
  await page.goto(`${base}#${feldhaus.slice(1)}`);
  await page.locator('.neighbours .error').waitFor();
  check((await text('.neighbours .error')).includes('internal error'), `neighbours error ${await text('.neighbours .error')}`);
  check((await heading()) === 'Oskar Feldhaus', 'a failed part hid the rest of the profile');
  await page.unroute(neighboursAPI);
  ok('a failing part of the profile shows its error in place');

  await page.goto(`${base}#/entity/999999`);
  await page.locator('#error').waitFor({ state: 'visible' });
  check((await text('#error')).includes('not found'), `error box says ${await text('#error')}`);
  ok('an unknown entity shows "not found"');
}

drive('network', run);
