// admin.mjs drives a real Chromium through the admin page and the audit
// view as alpha's admin: the sidebar offers both to an admin; a user
// created on the page gets a password shown once, with a copy button, and
// listed nowhere after; the new user logs in with it in a second browser
// context and is offered neither page; a token issued on the page works
// until it is revoked there; a grant to bravo needs a reason; the audit
// view lists the creation, by the admin, and nothing of bravo's, and says
// the chain is intact.
//
//   node admin.mjs http://127.0.0.1:PORT/
//
// It expects TestBrowserAdmin's server (the authorisation matrix's two
// agencies, MOSAIC_USER being alpha's admin). With
// MOSAIC_SCREENSHOT=/path/shot.png it saves the admin page with the
// password shown (shot-admin.png) and the audit view (shot-audit.png).

import { check, drive, ok } from './browser.mjs';

const shot = process.env.MOSAIC_SCREENSHOT || '';
const also = (name) => shot.replace(/(\.png)?$/, `-${name}.png`);
const admin = process.env.MOSAIC_USER;
const newUser = 'Wren Halloway';

async function run(page, problems, base) {
  const text = async (sel) => ((await page.locator(sel).first().textContent()) || '').replace(/\s+/g, ' ').trim();

  // ---- The sidebar offers the pages to an admin.
  await page.locator('#admin-tool a').waitFor({ state: 'visible' });
  await page.locator('#audit-tool a').waitFor({ state: 'visible' });
  await page.locator('#admin-tool a').click();
  await page.locator('.users-table').waitFor();
  check((await text('#view h1')) === 'Administration', `the page is headed ${await text('#view h1')}`);
  const listed = await page.locator('.users-table tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.user));
  check(listed.includes('alpha-viewer') && listed.includes(admin) && !listed.some((u) => u.startsWith('bravo')),
    `the users listed are ${JSON.stringify(listed)}`);
  ok(`the sidebar offers an admin the admin page, which lists alpha's ${listed.length} users and none of bravo's`);

  // ---- Create a user: the password is shown once.
  await page.locator('#new-user-name').fill(newUser);
  await page.locator('#new-user-role').selectOption('analyst');
  await page.locator('#new-user-clearance').selectOption('RESTRICTED');
  await page.locator('.user-form button[type=submit]').click();
  await page.locator('.secret-value').waitFor();
  const password = await page.locator('.secret-value').textContent();
  check(/^[A-Za-z0-9]{16}$/.test(password), `the password shown is ${JSON.stringify(password)}`);
  check((await text('.secret')).includes(`Password of ${newUser}, analyst of alpha`), `the box says ${await text('.secret')}`);
  const row = page.locator(`.users-table tr[data-user="${newUser}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  check(cells[0] === 'analyst' && cells[1] === 'RESTRICTED' && cells[2] === 'active', `the new row reads ${JSON.stringify(cells)}`);
  await page.locator('.secret button', { hasText: 'Copy' }).click();
  await page.waitForFunction(() => document.querySelector('.secret .copied').textContent !== '');
  if (shot) await page.screenshot({ path: also('admin'), fullPage: true });
  await page.locator('.secret button', { hasText: 'Done' }).click();
  await page.goto(`${base}#/`);
  await page.goto(`${base}#/admin`);
  await page.locator(`.users-table tr[data-user="${newUser}"]`).waitFor();
  check(!(await page.content()).includes(password), 'the password is on the page after it was dismissed');
  ok(`creating ${newUser} shows a password of 16 characters once, with a copy button, and lists them as analyst, RESTRICTED`);

  // ---- The new user logs in with it, in a second browser context.
  const other = await page.context().browser().newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const p2 = await other.newPage();
    p2.setDefaultTimeout(10_000);
    await p2.goto(base);
    await p2.locator('#login-form').waitFor();
    await p2.locator('#login-user').fill(newUser);
    await p2.locator('#login-password').fill(password);
    await p2.locator('#login-form button[type=submit]').click();
    await p2.locator('#who').waitFor();
    const who = await p2.locator('#who-name').textContent();
    check(who === `${newUser} (analyst) · alpha`, `the second browser is logged in as ${who}`);
    await p2.locator('#collections a[data-collection="alpha-main"]').waitFor();
    check(!(await p2.locator('#admin-tool').isVisible()) && !(await p2.locator('#audit-tool').isVisible()),
      'an analyst is offered the admin pages');
    await p2.goto(`${base}#/admin`);
    await p2.locator('#error:not([hidden])').waitFor();
    const said = await p2.locator('#error').textContent();
    check(/Only admins/.test(said), `an analyst opening #/admin is told ${said}`);
    ok(`${newUser} logs in with that password in another browser, sees alpha's collection, and is offered no admin page`);
  } finally {
    await other.close();
  }

  // ---- A token issued on the page works until revoked there.
  await row.locator('.token-label').fill('e2e');
  await row.locator('button', { hasText: 'Issue token' }).click();
  await page.locator('.secret-value').waitFor();
  const token = await page.locator('.secret-value').textContent();
  const me = () => fetch(new URL('api/v1/me', base), { headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
  check((await me()) === 200, 'the issued token does not work');
  const tokenRow = page.locator(`.users-table tr[data-user="${newUser}"] .token`, { hasText: 'e2e' });
  await tokenRow.locator('button', { hasText: 'Revoke' }).click();
  await tokenRow.locator('.badge.revoked').waitFor();
  check((await me()) === 401, 'the revoked token still works');
  check(!(await page.locator('.users-table').textContent()).includes(token), 'the token is listed');
  ok('a token issued on the page works, and stops working once revoked there');

  // ---- A grant of alpha's collection to bravo, with its reason.
  check((await page.locator('#grant-agency option').allTextContents()).join() === 'bravo', 'the grant form offers other agencies than bravo');
  await page.locator('.grant-form button[type=submit]').click();
  check((await page.locator('.grants-table').count()) === 0, 'a grant without a reason was made');
  await page.locator('#grant-collection').selectOption('alpha-main');
  await page.locator('#grant-reason').fill('joint <b>harbour</b> case');
  await page.locator('.grant-form button[type=submit]').click();
  const grant = page.locator('.grants-table tbody tr');
  await grant.waitFor();
  const g = await grant.locator('td, th').allTextContents();
  check(g[1] === 'alpha-main' && g[2] === 'bravo' && g[3] === admin && g[4] === 'joint <b>harbour</b> case' && /^Revoke/.test(g[6]),
    `the grant reads ${JSON.stringify(g)}`);
  ok('a grant of alpha-main to bravo needs a reason, and is listed with it, as text');

  // ---- Alpha's ingest queue: counts, the worker at work, the failure
  // with its reason as text, nothing of bravo's.
  const states = page.locator('.admin-queue .queue-states');
  await states.waitFor();
  const counts = await states.evaluate((p) => ({ ...p.dataset }));
  check(counts.queued === '1' && counts.running === '1' && counts.done === '1' && counts.failed === '1',
    `the queue's counts read ${JSON.stringify(counts)}`);
  check(/12 documents loaded, 10 new/.test(await states.textContent()), `the queue says ${await states.textContent()}`);
  check((await page.locator('.admin-queue .queue-workers li[data-worker="ingest-host:42"]').count()) === 1, 'the running worker is not listed');
  const failed = await page.locator('.queue-failed tbody tr td').allTextContents();
  check(failed[1] === '/in/alpha/<b>b</b>.pdf' && failed[4] === '<b>b</b>.pdf: not a PDF', `the failure reads ${JSON.stringify(failed)}`);
  check(!(await page.content()).includes('source-kestrel'), "the page shows bravo's queued file");
  ok('the admin page follows alpha\'s ingest queue: 1 queued, 1 running by its worker, 1 done, 1 failed with its reason; nothing of bravo\'s');

  // ---- The audit view lists the creation, and nothing of bravo's.
  await page.locator('#audit-tool a').click();
  await page.locator('.audit-table').waitFor();
  check((await text('#view h1')) === 'Audit log', `the audit page is headed ${await text('#view h1')}`);
  const verdict = await text('.verdict');
  check(/^Chain intact: \d+ entries/.test(verdict) && (await page.locator('.verdict.intact').count()) === 1, `the verdict reads ${verdict}`);
  const entries = await page.locator('.audit-table tbody tr').evaluateAll((rs) => rs.map((r) =>
    [...r.querySelectorAll('td')].map((c) => c.textContent)));
  const added = entries.filter((e) => e[3] === 'user-add');
  check(added.length === 1 && added[0][2] === admin && added[0][4] === newUser && added[0][5] === 'ok',
    `the user-add entries read ${JSON.stringify(added)}`);
  check(entries.some((e) => e[3] === 'grant' && e[4] === 'alpha-main to bravo'), 'no entry of the grant');
  for (const action of ['token-add', 'token-revoke', 'login', 'list-queue']) {
    check(entries.some((e) => e[3] === action), `no ${action} entry in ${JSON.stringify(entries.map((e) => e[3]))}`);
  }
  check(!entries.some((e) => e[2].startsWith('bravo')), 'the audit view shows bravo entries');
  check(!(await page.content()).includes(password) && !(await page.content()).includes(token), 'the audit view shows a secret');
  ok(`the audit view lists ${entries.length} entries of alpha, among them ${admin}'s user-add of ${newUser}, none of bravo's, and the chain intact`);

  // ---- Filtered by action, in the hash.
  await page.locator('#audit-action').fill('user-add');
  await page.locator('.audit-filter button[type=submit]').click();
  await page.waitForFunction(() => location.hash === '#/audit?action=user-add');
  await page.waitForFunction(() => document.querySelectorAll('.audit-table tbody tr').length === 1);
  check((await page.locator('.audit-table tbody tr[data-action="user-add"]').count()) === 1, 'the filter keeps other actions');
  check(!(await page.locator('.audit button', { hasText: 'Older entries' }).isVisible()), 'a one-entry list offers older entries');
  if (shot) await page.screenshot({ path: also('audit'), fullPage: true });
  ok('filtering by action keeps the one user-add entry');

  check(problems.length === 0, `browser reported problems:\n  ${problems.join('\n  ')}`);
  ok('no console errors, no page errors, no requests outside the server');
}

drive('admin', run);
