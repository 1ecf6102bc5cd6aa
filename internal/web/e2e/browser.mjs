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

// drive reads the server's URL from the command line, opens a 1280×800
// page in a fresh chromium and calls run(page, problems, base), where
// problems collects what the browser reported. It exits 1 when a check
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
      await run(page, problems, base);
      console.log(`${name}: all checks passed`);
    } finally {
      if (browser) await browser.close().catch(() => {});
      if (chrome) {
        chrome.proc.kill('SIGTERM');
        await new Promise((r) => (chrome.proc.exitCode !== null ? r() : chrome.proc.once('exit', r)));
      }
      await rm(profile, { recursive: true, force: true });
    }
  };
  main().catch((err) => {
    console.error(err instanceof Failure ? `FAIL: ${err.message}` : err);
    process.exit(1);
  });
}
