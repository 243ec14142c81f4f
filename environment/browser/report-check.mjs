// Opens the claims report (out/report/index.html, a static page) from disk in the system's headless
// Chromium and checks that it renders: one table row per claim with a verdict, every thumbnail image
// loaded, no page error; then saves a full-page screenshot.
//
// usage: node report-check.mjs REPORT.html SCREENSHOT.png EXPECTED_CLAIMS
// Prints one line of facts on success; on failure, one line naming what is wrong, exit status 1.
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [report, screenshot, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
if (!report || !screenshot || !Number.isInteger(expected)) {
  console.error('usage: node report-check.mjs REPORT.html SCREENSHOT.png EXPECTED_CLAIMS');
  process.exit(2);
}
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

await fs.rm(screenshot, { force: true });
const browser = await chromium.launch({ executablePath: process.env.DEQNC_CHROMIUM || '/usr/bin/chromium',
  headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(pathToFileURL(path.resolve(report)).href, { waitUntil: 'load', timeout: 60000 });
  const state = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('table.claims tbody tr.claim')];
    const images = [...document.querySelectorAll('img.thumb')];
    return {
      rows: rows.length,
      visibleRows: rows.filter((r) => r.getBoundingClientRect().height > 0).length,
      withoutVerdict: rows.filter((r) => !r.querySelector('td.verdict')?.textContent.trim()).length,
      verdicts: rows.map((r) => r.dataset.verdict),
      images: images.length,
      broken: images.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute('src')),
      provenance: document.querySelectorAll('h3[id^="prov-"]').length,
    };
  });
  const problems = [];
  if (state.rows !== expected) problems.push(`${state.rows} claim rows, expected ${expected}`);
  if (state.visibleRows !== state.rows) problems.push(`${state.rows - state.visibleRows} claim rows not rendered`);
  if (state.withoutVerdict) problems.push(`${state.withoutVerdict} rows without a verdict`);
  if (state.broken.length) problems.push(`thumbnails that did not load: ${state.broken.join(', ')}`);
  if (pageErrors.length) problems.push(`page errors: ${pageErrors.join(' | ')}`);
  await page.screenshot({ path: screenshot, fullPage: true });
  if (problems.length) {
    console.error(`report check failed: ${problems.join('; ')} (screenshot ${screenshot})`);
    process.exitCode = 1;
  } else {
    const counts = {};
    state.verdicts.forEach((v) => { counts[v] = (counts[v] || 0) + 1; });
    console.log(`ok: ${state.rows} claim rows (${Object.entries(counts).map(([v, n]) => `${n} ${v}`).join(', ')}), ` +
      `${state.images} thumbnails loaded, ${state.provenance} provenance sections; screenshot ${screenshot}`);
  }
} finally {
  await browser.close();
}
