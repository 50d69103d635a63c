// Benchmark: pathological Markdown in Chromium. Every construct of the native test
// (crates/core/tests/common/pathological.rs, written out as article JSON by `cargo run --release -p article-viewer-core --example
// pathological`) is opened as an article, and timed from navigation to the body rendered and
// painted, beside 1 MB of plain paragraphs in the same run; plus an ordinary 5 MB article.
// Usage: node bench/markdown.mjs [runs] [construct...]   (after `trunk build --release`)
//
// Timing: a fresh browser context per load opens `/?src=<document>`; a MutationObserver marks
// when `.av-body` is first in the DOM, and a requestAnimationFrame + setTimeout after that
// marks the frame it was laid out and painted in. The app draws a long body's start first and
// the rest a batch per task, so "total" (navigation start → the story's start painted) is what
// a reader waits for, and "whole body" is when the last batch arrived (the tab answers
// meanwhile). "After download" is the document's responseEnd (Resource Timing) → painted,
// i.e. JSON reading, Markdown, Yew and the DOM, layout and paint. Ratios are of totals,
// medians over runs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RUNS = +(process.argv[2] || 3);
const ONLY = process.argv.slice(3);
const TIMEOUT_MS = 180_000;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : '–');

// The documents, from the one generator the native test uses.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'av-pathological-'));
execFileSync('cargo', ['run', '--release', '--quiet', '-p', 'article-viewer-core', '--example', 'pathological', '--', dir], { cwd: root, stdio: 'inherit' });
const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'))
  .filter((d) => !ONLY.length || ONLY.includes(d.name) || d.name === 'plain');

const PROBE = `
  (() => {
    const mark = () => {
      const body = document.querySelector('.av-body');
      if (!body) return;
      // The last time blocks were added to the body: when the whole body was there.
      if (body.childElementCount !== window.__blocks) {
        window.__blocks = body.childElementCount;
        window.__whole = performance.now();
      }
      if (window.__inDom !== undefined) return;
      window.__inDom = performance.now();
      requestAnimationFrame(() => setTimeout(() => { window.__painted = performance.now(); }, 0));
    };
    new MutationObserver(mark).observe(document, { childList: true, subtree: true });
  })();`;

async function load(browser, url, docPath) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.__painted !== undefined, null, { timeout: TIMEOUT_MS, polling: 50 });
    // The whole body: no block added for half a second.
    await page.waitForFunction(() => performance.now() - window.__whole > 500, null, { timeout: TIMEOUT_MS, polling: 100 });
    return await page.evaluate((doc) => {
      const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith(doc));
      return { total: window.__painted, whole: window.__whole, inDom: window.__inDom, downloaded: entry ? entry.responseEnd : NaN };
    }, docPath);
  } catch (e) {
    return { total: NaN, whole: NaN, inDom: NaN, downloaded: NaN, error: String(e).split('\n')[0] };
  } finally {
    await context.close();
  }
}

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const rows = [];
try {
  for (const d of index) {
    const docPath = `/_bench/md/${d.name}.json`;
    server.docs.set(docPath, { body: fs.readFileSync(path.join(dir, `${d.name}.json`)) });
    const url = `${server.url}/?src=${encodeURIComponent(docPath)}`;
    if (rows.length === 0) await load(browser, url, docPath); // warm the server and the disk cache
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await load(browser, url, docPath));
    const row = {
      ...d,
      total: median(runs.map((r) => r.total)),
      whole: median(runs.map((r) => r.whole)),
      render: median(runs.map((r) => r.total - r.downloaded)),
      error: runs.find((r) => r.error)?.error,
    };
    rows.push(row);
    server.docs.delete(docPath);
    process.stderr.write(`${d.name}: ${fmt(row.total)} ms${row.error ? ` (${row.error})` : ''}\n`);
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

const plain = rows.find((r) => r.name === 'plain');
console.log(`\nPathological Markdown in Chromium (headless, ${os.cpus().length} cores), median of ${RUNS} cold loads each:`);
console.log('| construct | document | total ms | after download ms | × plain | whole body ms |');
console.log('|---|---|---:|---:|---:|---:|');
let worst = null;
for (const r of rows) {
  const ratio = r.total / plain.total;
  if (r.name !== 'plain' && r.name !== 'article' && (!worst || !(ratio <= worst.ratio))) worst = { ...r, ratio };
  const label = r.name === 'plain' ? '**plain paragraphs** (baseline)' : r.name === 'article' ? '**ordinary article (5 MB)**' : r.name;
  console.log(`| ${label} | ${r.what.replaceAll('|', '\\|')} | ${fmt(r.total)} | ${fmt(r.render)} | ${Number.isFinite(ratio) ? ratio.toFixed(1) : 'timeout'} | ${fmt(r.whole)} |`);
}
if (worst) console.log(`Worst construct: ${worst.name}, ${fmt(worst.total)} ms = ${Number.isFinite(worst.ratio) ? worst.ratio.toFixed(1) : '∞'}× plain paragraphs (${fmt(plain.total)} ms); target 3×.`);
const article = rows.find((r) => r.name === 'article');
if (article) console.log(`Ordinary 5 MB article: ${fmt(article.total)} ms to its start painted (target under 1000 ms), ${fmt(article.whole)} ms to the whole body.`);
