// Opens one notebook in a running classic Jupyter Notebook server with the system's headless
// Chromium, runs all cells, checks that the page shows a table and a rendered Plotly figure and no
// error output, and saves a full-page screenshot.
//
// usage: node check.mjs NOTEBOOK_URL SCREENSHOT.png [TIMEOUT_SECONDS]
// Prints one line of facts on success; on failure, one line naming what is missing, exit status 1.
import fs from 'node:fs/promises';
import { chromium } from 'playwright-core';

const [url, screenshot, timeoutArg = '180'] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node check.mjs NOTEBOOK_URL SCREENSHOT.png [TIMEOUT_SECONDS]');
  process.exit(2);
}
const timeoutMs = Number(timeoutArg) * 1000;
// One budget for the whole check: loading, running and rendering.
const deadline = Date.now() + timeoutMs;
const msLeft = () => Math.max(1000, deadline - Date.now());
const started = Date.now();
const elapsed = () => ((Date.now() - started) / 1000).toFixed(1);
const chromiumPath = process.env.DEQNC_CHROMIUM || '/usr/bin/chromium';

// Running as root needs --no-sandbox; without the background-networking flags Chromium's own
// connections get refused on an offline machine. Playwright gives every launch a fresh profile.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

class CheckFailed extends Error {}

async function waitFor(page, what, predicate, arg) {
  try {
    await page.waitForFunction(predicate, arg, { timeout: msLeft(), polling: 250 });
  } catch (e) {
    throw new CheckFailed(`ran out of the ${timeoutArg} s budget waiting for ${what}`);
  }
}

async function check(page) {
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await waitFor(page, 'the notebook and an idle kernel', () =>
    window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
    Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected() &&
    document.querySelector('#kernel_indicator_icon.kernel_idle_icon') !== null);

  const kernelReady = elapsed();
  const codeCells = await page.evaluate(() => {
    Jupyter.notebook.execute_all_cells();
    return Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').length;
  });
  // Run All marks every queued cell [*] at once; a cell whose prompt stays non-numeric was aborted.
  await waitFor(page, 'all cells to finish (a cell still shows [*])', () =>
    Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' || c.input_prompt_number !== '*'));
  const cellsRan = elapsed();
  // A cell's outputs come on another channel than its reply and can land later (plotly.js inlined
  // makes a figure's message about 11 MB), so wait until they have rendered or an error shows; the
  // checks below then say what is missing.
  await page.waitForFunction(() => {
    const outputs = Jupyter.notebook.get_cells().flatMap((c) => (c.output_area ? c.output_area.outputs : []));
    return outputs.some((o) => o.output_type === 'error' || o.name === 'stderr') ||
      (document.querySelector('.output_area table tbody tr') !== null &&
       document.querySelector('.output_area .js-plotly-plot svg.main-svg') !== null);
  }, null, { timeout: msLeft(), polling: 250 }).catch(() => {});

  const state = await page.evaluate(() => {
    const cells = Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    const outputs = cells.flatMap((c) => c.output_area.outputs);
    return {
      notRun: cells.map((c, i) => (typeof c.input_prompt_number === 'number' ? -1 : i + 1)).filter((i) => i > 0),
      errors: outputs.filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`)
        .concat(outputs.filter((o) => o.name === 'stderr').map((o) => `stderr: ${o.text.trim().split('\n')[0]}`)),
      jsErrors: [...document.querySelectorAll('.output_area .js-error')].map((e) => e.textContent),
      tables: document.querySelectorAll('.output_area table').length,
      tableRows: document.querySelectorAll('.output_area table tbody tr').length,
      plots: [...document.querySelectorAll('.output_area .js-plotly-plot')]
        .filter((p) => p.querySelector('.plot-container svg.main-svg')).length,
      traces: document.querySelectorAll('.output_area .js-plotly-plot .scatterlayer .trace path.js-line').length,
    };
  });
  if (state.errors.length) throw new CheckFailed(`error output: ${state.errors.join(' | ')}`);
  if (state.notRun.length) throw new CheckFailed(`code cell(s) ${state.notRun.join(', ')} of ${codeCells} did not run`);
  if (state.jsErrors.length) throw new CheckFailed(`JavaScript error in an output: ${state.jsErrors.join(' ')}`);
  if (pageErrors.length) throw new CheckFailed(`uncaught page error: ${pageErrors.join(' | ')}`);
  if (state.tables === 0 || state.tableRows === 0) throw new CheckFailed('no table with rows in any output');
  if (state.plots === 0 || state.traces === 0) {
    throw new CheckFailed(`no rendered Plotly figure (plots with an svg: ${state.plots}, line traces: ${state.traces}; ` +
      `console errors: ${consoleErrors.slice(0, 3).join(' | ') || 'none'})`);
  }

  const rendered = elapsed();
  await screenshotWholeNotebook(page, screenshot);
  return { codeCells, kernelReady, cellsRan, rendered, ...state };
}

async function screenshotWholeNotebook(page, path) {
  // The classic Notebook scrolls inside #site, so grow the viewport to the whole notebook first.
  const height = await page.evaluate(() =>
    (document.querySelector('#header')?.offsetHeight ?? 0) + (document.querySelector('#site')?.scrollHeight ?? 900));
  await page.setViewportSize({ width: 1280, height: Math.min(Math.ceil(height) + 20, 16000) });
  await page.screenshot({ path, fullPage: true });
}

const failedShot = screenshot.replace(/\.png$/, '') + '.failed.png';
// Screenshots from an earlier run must not pass for this one's.
await Promise.all([screenshot, failedShot].map((f) => fs.rm(f, { force: true })));
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS });
let page;
try {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const facts = await check(page);
  console.log(`ok: ${facts.codeCells} code cells ran, ${facts.tables} table(s) with ${facts.tableRows} rows, ` +
    `${facts.plots} Plotly figure(s) with ${facts.traces} line trace(s); kernel ready ${facts.kernelReady} s, ` +
    `cells ran ${facts.cellsRan} s, outputs rendered ${facts.rendered} s; screenshot ${screenshot}`);
} catch (e) {
  console.error(`browser check failed: ${e instanceof CheckFailed ? e.message : e.stack}`);
  process.exitCode = 1;
  if (page) await screenshotWholeNotebook(page, failedShot).catch(() => {});
} finally {
  await browser.close();
}
