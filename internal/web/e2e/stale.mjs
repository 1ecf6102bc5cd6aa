// stale.mjs drives a real Chromium to a profile whose neighbours come from
// the last network built while the next one is still building: the page
// says so, and stops saying so once the new network answers, and on a view
// that reads no network.
//
//   node stale.mjs http://127.0.0.1:PORT/
//
// TestBrowserStaleNetwork starts the server with the network fixture and
// holds back the next network's build until the script asks
// test/open-gate; MOSAIC_ENTITY is the id of Idris Kallweit, whose
// neighbours the last network knows.

import { check, drive, ok } from './browser.mjs';

async function run(page, problems, base) {
  const entity = process.env.MOSAIC_ENTITY;
  const note = page.locator('#stale');
  const profile = async () => {
    await page.goto(`${base}#/entity/${entity}`);
    await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === 'Idris Kallweit');
    await note.waitFor({ state: 'visible', timeout: 30000 });
  };
  await profile();
  const said = await note.textContent();
  check(/being rebuilt/.test(said) && /from before them/.test(said), `the note says ${JSON.stringify(said)}`);
  const names = await page.locator('.neighbours a.entity').allTextContents();
  check(names.includes('Marten Quist'), `neighbours from the last network: ${JSON.stringify(names)}`);
  ok('a profile whose neighbours come from the last network built says the network is being rebuilt');

  await page.locator('#collections a[data-collection="case-notes"]').click();
  await page.waitForFunction(() => document.querySelector('#view h1')?.textContent === 'case-notes');
  check(await note.isHidden(), 'the note stayed on a view that reads no network');
  ok('the next view, which reads no network, drops the note');

  // Back on the profile, the note again; then the next network may build,
  // the profile's next network answer comes from it, and the note goes.
  await profile();
  const opened = await page.evaluate(async (b) => (await fetch(`${b}test/open-gate`)).status, base);
  check(opened === 204, `opening the gate: ${opened}`);
  for (let i = 0; i < 20 && !(await note.isHidden()); i++) {
    await page.locator(`button[data-hops="${2 - (i % 2)}"]`).click();
    await page.waitForTimeout(250);
  }
  check(await note.isHidden(), 'the note stayed once the new network answered');
  ok('the note goes once a network answer comes from the new network');
}

drive('stale', run);
