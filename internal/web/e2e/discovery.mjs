// discovery.mjs drives a real Chromium through a share between two
// agencies: alpha's analyst reads the alerts, asks who else holds material
// on a name only bravo holds and sees bravo with a rough count and none of
// its material, and asks bravo to share; bravo's analyst, logged in on the
// same page, sees the request counted in the sidebar and approves it;
// alpha's analyst then finds bravo's shared documents in the sidebar and
// the document list, and none of bravo's others. A viewer is offered none
// of it, and the page never asks the server on their behalf.
//
//   node discovery.mjs http://127.0.0.1:PORT/
//
// It expects TestBrowserDiscovery's server (the authorisation matrix's two
// agencies) and, in the environment: MOSAIC_FOREIGN_MARKERS (a JSON list
// of strings found only in bravo's material), MOSAIC_UNSHARED_MARKERS
// (those of bravo's material the share leaves out), MOSAIC_SHARED_TITLES
// (the titles of the documents the share gives), MOSAIC_CORVIN (the
// entity ID of Corvin Albescu, whom an alert names), and the logins of
// bravo's analyst (MOSAIC_OWNER_USER, MOSAIC_OWNER_PASSWORD) and of
// alpha's viewer (MOSAIC_VIEWER_USER, MOSAIC_VIEWER_PASSWORD). With
// MOSAIC_SCREENSHOT=/path/shot.png it saves the page as alpha asks
// (shot-ask.png), as bravo decides (shot-decide.png) and as alpha reads
// the answer (shot-answered.png).

import { check, drive, ok } from './browser.mjs';

const env = process.env;
const foreign = JSON.parse(env.MOSAIC_FOREIGN_MARKERS || '[]');
const unshared = JSON.parse(env.MOSAIC_UNSHARED_MARKERS || '[]');
const sharedTitles = JSON.parse(env.MOSAIC_SHARED_TITLES || '[]');
const corvin = env.MOSAIC_CORVIN || '';
const shot = env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);

async function run(page, problems, base) {
  check(foreign.length > 0 && unshared.length > 0 && sharedTitles.length > 0 && corvin,
    'set MOSAIC_FOREIGN_MARKERS, MOSAIC_UNSHARED_MARKERS, MOSAIC_SHARED_TITLES and MOSAIC_CORVIN');
  check(env.MOSAIC_OWNER_USER && env.MOSAIC_OWNER_PASSWORD && env.MOSAIC_VIEWER_USER && env.MOSAIC_VIEWER_PASSWORD,
    'set MOSAIC_OWNER_USER, MOSAIC_OWNER_PASSWORD, MOSAIC_VIEWER_USER and MOSAIC_VIEWER_PASSWORD');
  // leaked lists the markers the page's DOM holds, less those the caller
  // typed.
  const leaked = async (markers, typed = '') => {
    const html = (await page.content()).toLowerCase();
    return markers.filter((m) => html.includes(m.toLowerCase()) && !typed.toLowerCase().includes(m.toLowerCase()));
  };
  const text = (sel) => page.locator(sel).first().textContent();
  const ask = async (q) => {
    await page.locator('#discover-q').fill(q);
    await page.locator('.discover-form button[type=submit]').click();
  };

  // ---- alpha's analyst: the alerts, and a name only alpha holds.
  await page.goto(base);
  await page.locator('#collections a[data-collection="alpha-main"]').waitFor();
  await page.locator('#agencies-tool a').click();
  await page.locator('#discover-q').waitFor();
  check((await text('#view h1')) === 'Other agencies', `the page is headed ${await text('#view h1')}`);
  await page.locator('.alert-list li').first().waitFor();
  const alerts = (await page.locator('.alert-list li p').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  check(alerts.includes('New material of bravo names Corvin Albescu') &&
    alerts.includes('bravo holds material on Teodor Vasken you just loaded') && alerts.length === 2,
  `the alerts read ${JSON.stringify(alerts)}`);
  const href = await page.locator('.alert-list a', { hasText: 'Corvin Albescu' }).getAttribute('href');
  check(href === `#/entity/${corvin}`, `Corvin Albescu's alert links to ${href}`);
  ok('the alerts say what bravo holds on names alpha holds, each linking to its profile');

  await ask('Pellworth Syndicate');
  await page.locator('.no-holder').waitFor();
  const none = (await text('.holders')).replace(/\s+/g, ' ');
  check(/No other agency holds material on this name/.test(none), `a name only alpha holds says ${none}`);
  check((await page.locator('.holder').count()) === 0, 'a name only alpha holds lists a holder');
  ok(`a name only alpha holds says "${none.trim()}"`);

  // ---- A name only bravo holds: bravo, a bucket, nothing of bravo's.
  const q = 'Quillon Marsh';
  await ask(q);
  await page.locator('.holder').first().waitFor();
  const holders = await page.locator('.holder').evaluateAll((ls) => ls.map((l) => ({
    agency: l.dataset.agency,
    name: l.querySelector('.holder-agency').textContent,
    documents: l.querySelector('.badge.bucket').textContent,
  })));
  check(JSON.stringify(holders) === JSON.stringify([{ agency: 'bravo', name: 'bravo', documents: '2-5 documents' }]),
    `the holders of ${q} read ${JSON.stringify(holders)}`);
  check((await leaked(foreign, q)).length === 0, `the page shows ${JSON.stringify(await leaked(foreign, q))}`);
  ok(`asking about ${q} shows bravo with 2-5 documents, and nothing of bravo's material`);

  // ---- The request: a reason is needed.
  const bravo = page.locator('.holder[data-agency="bravo"]');
  await bravo.locator('button', { hasText: 'Request a share' }).click();
  await bravo.locator('.share-form button[type=submit]').click();
  await bravo.locator('.said.error').waitFor();
  check(/Say why/.test(await bravo.locator('.said.error').textContent()), 'a request without a reason is not refused');
  await bravo.locator('.share-form input').fill('the harbour case');
  await bravo.locator('.share-form button[type=submit]').click();
  await bravo.locator('.said.done').waitFor();
  const pending = page.locator('.asked-by li.share-pending');
  await pending.waitFor();
  const asked = (await pending.textContent()).replace(/\s+/g, ' ');
  check(asked.includes('To bravo') && asked.includes(q) && asked.includes('the harbour case') && asked.includes('pending'),
    `the request reads ${asked}`);
  check((await leaked(foreign, q)).length === 0, `the page shows ${JSON.stringify(await leaked(foreign, q))}`);
  if (shot) await page.screenshot({ path: also('ask') });
  ok(`alpha's analyst asks bravo to share, with a reason, and sees the request pending`);

  // ---- A second request, on a phone number, which bravo will refuse.
  const phone = '+44 20 7946 0958';
  await ask(phone);
  await page.locator('.holders .path-summary', { hasText: 'phone number' }).waitFor();
  await bravo.locator('button', { hasText: 'Request a share' }).click();
  await bravo.locator('.share-form input').fill('the call records');
  await bravo.locator('.share-form button[type=submit]').click();
  await bravo.locator('.said.done').waitFor();
  await page.locator('.asked-by li.share-pending', { hasText: phone }).waitFor();
  check((await page.locator('.asked-by li.share-pending').count()) === 2, 'alpha does not list both requests pending');
  check((await leaked(foreign, q + phone)).length === 0, `the page shows ${JSON.stringify(await leaked(foreign, q + phone))}`);

  // ---- bravo's analyst decides.
  await logInAs(page, env.MOSAIC_OWNER_USER, env.MOSAIC_OWNER_PASSWORD);
  await page.goto(`${base}#/agencies`);
  const toRefuse = page.locator('.asked-of li.share-pending', { hasText: phone });
  await toRefuse.waitFor();
  check((await page.locator('.asked-of li.share-pending').count()) === 2, 'bravo does not list both requests pending');
  check((await text('#agencies-pending')) === '2', `the sidebar counts ${await text('#agencies-pending')} requests to decide`);
  await toRefuse.locator('.decision input').fill('not for this case');
  await toRefuse.locator('button', { hasText: 'Refuse' }).click();
  const refused = page.locator('.asked-of li.share-refused');
  await refused.waitFor();
  const no = (await refused.textContent()).replace(/\s+/g, ' ');
  check(no.includes(phone) && no.includes(`Refused by ${env.MOSAIC_OWNER_USER}`) && no.includes('not for this case') && !no.includes('Shared as'),
    `bravo's refusal reads ${no}`);
  await page.locator('#agencies-pending', { hasText: /^1$/ }).waitFor();
  const toDecide = page.locator('.asked-of li.share-pending', { hasText: q });
  await toDecide.waitFor();
  const request = (await toDecide.textContent()).replace(/\s+/g, ' ');
  check(request.includes('alpha') && request.includes(q) && request.includes('the harbour case'), `bravo reads the request as ${request}`);
  await toDecide.locator('button', { hasText: 'Approve' }).click();
  await toDecide.locator('.said.error:not([hidden])').waitFor();
  check(/Give an answer/.test(await toDecide.locator('.said.error').textContent()), 'an approval without an answer is not refused');
  await toDecide.locator('.decision input').fill('for the harbour case');
  if (shot) await page.screenshot({ path: also('decide') });
  await toDecide.locator('button', { hasText: 'Approve' }).click();
  const approved = page.locator('.asked-of li.share-approved');
  await approved.waitFor();
  const decided = (await approved.textContent()).replace(/\s+/g, ' ');
  check(decided.includes(`Approved by ${env.MOSAIC_OWNER_USER}`) && decided.includes('for the harbour case'), `bravo's approval reads ${decided}`);
  const collection = await approved.locator('a.chip').textContent();
  check(/^shared-/.test(collection), `the share's collection is ${collection}`);
  await page.locator('#agencies-pending[hidden]').waitFor({ state: 'attached' });
  ok(`bravo's analyst sees both requests counted, refuses one and approves the other with an answer, shared as ${collection}`);

  // ---- alpha's analyst reads what was shared, and no more.
  await logInAs(page, env.MOSAIC_USER, env.MOSAIC_PASSWORD);
  await page.goto(`${base}#/agencies`);
  const answered = page.locator('.asked-by li.share-approved');
  await answered.waitFor();
  const told = (await answered.textContent()).replace(/\s+/g, ' ');
  check(told.includes('for the harbour case') && told.includes(collection) && !told.includes(env.MOSAIC_OWNER_USER),
    `alpha reads the decision as ${told}`);
  const told2 = (await page.locator('.asked-by li.share-refused').textContent()).replace(/\s+/g, ' ');
  check(told2.includes(phone) && told2.includes('not for this case') && !told2.includes(env.MOSAIC_OWNER_USER), `alpha reads the refusal as ${told2}`);
  await page.locator(`#collections a[data-collection="${collection}"]`).waitFor();
  if (shot) await page.screenshot({ path: also('answered') });
  await page.goto(base);
  await page.locator('table.docs tbody tr').first().waitFor();
  const titles = await page.locator('table.docs tbody td:first-child a').allTextContents();
  for (const t of sharedTitles) check(titles.includes(t), `the document list lacks ${t}: ${JSON.stringify(titles)}`);
  check((await leaked(unshared)).length === 0, `the list shows ${JSON.stringify(await leaked(unshared))}`);
  await page.locator(`#collections a[data-collection="${collection}"]`).click();
  await page.waitForFunction((c) => document.querySelector('#view h1')?.textContent === c, collection);
  const inShare = await page.locator('table.docs tbody td:first-child a').allTextContents();
  check(JSON.stringify([...inShare].sort()) === JSON.stringify([...sharedTitles].sort()), `${collection} lists ${JSON.stringify(inShare)}`);
  ok(`alpha's analyst reads the answer, and ${collection} lists bravo's ${sharedTitles.length} documents on ${q}, none other of bravo's`);

  // ---- A profile asks about its entity.
  await page.goto(`${base}#/entity/${corvin}`);
  await page.locator('a', { hasText: 'Who else holds material on them?' }).click();
  await page.locator('.holder').first().waitFor();
  const corvinHolders = await page.locator('.holder').evaluateAll((ls) => ls.map((l) => `${l.dataset.agency} ${l.querySelector('.badge.bucket').textContent}`));
  check(JSON.stringify(corvinHolders) === JSON.stringify(['bravo 1 document']), `Corvin Albescu's holders read ${JSON.stringify(corvinHolders)}`);
  ok("a profile's link asks who else holds material on the entity: bravo, 1 document");

  const seen = problems.splice(0);
  check(seen.length === 0, `browser reported problems:\n  ${seen.join('\n  ')}`);

  // ---- A viewer is offered none of it, and the page asks nothing for them.
  const asked403 = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/(discover|shares|alerts)/.test(new URL(r.url()).pathname)) asked403.push(r.url());
  });
  await logInAs(page, env.MOSAIC_VIEWER_USER, env.MOSAIC_VIEWER_PASSWORD);
  await page.goto(base);
  await page.locator('table.docs tbody tr').first().waitFor();
  check(!(await page.locator('#agencies-tool').isVisible()), 'the viewer is offered the page of other agencies');
  await page.goto(`${base}#/agencies`);
  await page.locator('#error:not([hidden])').waitFor();
  const said = await text('#error');
  check(/Only analysts and admins/.test(said), `the viewer is told ${said}`);
  await page.goto(`${base}#/entity/${corvin}`);
  await page.locator('#entity-title').waitFor();
  check((await page.locator('a', { hasText: 'Who else holds material on them?' }).count()) === 0, "the viewer's profile asks about other agencies");
  check(asked403.length === 0, `the page asked for the viewer: ${asked403.join(', ')}`);
  ok(`a viewer is not offered the page, is told "${said.trim()}", and the page asks the server nothing of it`);

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, no page errors, no requests outside the server');
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

drive('discovery', run);
