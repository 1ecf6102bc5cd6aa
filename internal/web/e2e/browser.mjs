// browser.mjs is what the e2e scripts share: starting Debian's chromium
// ($CHROMIUM, default /usr/bin/chromium) in a fresh profile, never a
// downloaded browser; a page that records console errors, page errors and
// requests outside the server; and the checks' reporting.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

// Failure is a check that did not hold, as opposed to a crash of the script.
export class Failure extends Error {}

export function check(cond, msg) {
  if (!cond) throw new Failure(msg);
}

export function ok(msg) {
  console.log(`ok - ${msg}`);
}

// launch starts chromium with its DevTools endpoint on a free loopback port
// and returns the process and the endpoint's URL.
async function launch(profile) {
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  const proc = spawn(exe, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-default-apps', '--disable-extensions', '--mute-audio',
    `--user-data-dir=${profile}`,
    '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0',
    'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const ws = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start in 30s:\n${seen}`)), 30_000);
    proc.on('error', (err) => { clearTimeout(timer); reject(err); });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`chromium exited with ${code}:\n${seen}`)); });
    proc.stderr.on('data', (chunk) => {
      seen += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  proc.stderr.resume();
  return { proc, ws };
}

// logIn logs in as $MOSAIC_USER with $MOSAIC_PASSWORD through the page's
// form, checking on the way that the page shows nothing but the form
// before, and that a wrong password is refused. The browser logs each 401
// as a console error; those are taken out of problems.
async function logIn(page, problems, base) {
  const user = process.env.MOSAIC_USER;
  const password = process.env.MOSAIC_PASSWORD;
  check(user && password, 'set MOSAIC_USER and MOSAIC_PASSWORD to the user to log in as');
  await page.goto(base);
  await page.locator('#login-form').waitFor();
  check(await page.locator('#collections a, #view *').count() === 0, 'the page shows material before login');
  check(!(await page.locator('#q').isVisible()), 'the search box is shown before login');
  await page.locator('#login-user').fill(user);
  await page.locator('#login-password').fill(`${password}-wrong`);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#login-error').waitFor();
  const said = await page.locator('#login-error').textContent();
  check(said.includes('wrong user name or password'), `a wrong password says ${said}`);
  await page.locator('#login-password').fill(password);
  await page.locator('#login-form button[type=submit]').click();
  await page.locator('#who').waitFor();
  const who = await page.locator('#who-name').textContent();
  check(who.startsWith(user), `logged in as ${who}, want ${user}`);
  check(!(await page.locator('#login-form').isVisible()), 'the login form stays after login');
  const others = problems.filter((p) => !/status of 401/.test(p));
  check(others.length === 0, `browser reported problems while logging in:\n  ${others.join('\n  ')}`);
  problems.length = 0;
  ok(`the page asks to log in, refuses a wrong password, and logs ${user} in`);
}

// drive reads the server's URL from the command line, opens a 1280×800
// page in a fresh chromium, logs in through the form (logIn) and calls
// run(page, problems, base), where problems collects what the browser
// reported. It exits 1 when a check
// fails or the script crashes, and always removes the browser and profile.
export function drive(name, run) {
  const base = process.argv[2];
  if (!base || !/^https?:\/\//.test(base)) {
    console.error(`usage: node ${name}.mjs BASE_URL`);
    process.exit(2);
  }
  const origin = new URL(base).origin;
  const main = async () => {
    const profile = await mkdtemp(join(tmpdir(), 'mosaic-chromium-'));
    let chrome;
    let browser;
    try {
      chrome = await launch(profile);
      browser = await chromium.connectOverCDP(chrome.ws);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const problems = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
      page.on('request', (req) => {
        const u = new URL(req.url());
        if (u.origin !== origin) problems.push(`request outside the server: ${req.url()}`);
        else if (u.pathname === '/x') problems.push(`hostile <img src=x> was loaded`);
      });
      await logIn(page, problems, base);
      await run(page, problems, base);
      console.log(`${name}: all checks passed`);
    } finally {
      if (browser) await browser.close().catch(() => {});
      if (chrome) {
        chrome.proc.kill('SIGTERM');
        await new Promise((r) => (chrome.proc.exitCode !== null ? r() : chrome.proc.once('exit', r)));
      }
      // Chromium may still be writing its profile as it exits: retry.
      await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    }
  };
  main().catch((err) => {
    console.error(err instanceof Failure ? `FAIL: ${err.message}` : err);
    process.exit(1);
  });
}
