// Edit-to-visible benchmark for `article-viewer-cli serve` (issue 18): N generated Korean posts
// (default 10,000; bench/build-corpus.mjs), `serve` on a free port, one article page open in
// Chromium; then EDITS times: the article's title is rewritten in its JSON and the time is
// taken until the open page shows the new title (the page reloads itself). Prints the median,
// the fastest and slowest, and serve's own update times. Not a timed test: it only reports.
//
//   cargo build --release -p article-viewer-cli
//   node bench/serve.mjs [posts, default 10000] [edits, default 21]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './build-corpus.mjs';
import { launchBrowser, openPage } from '../e2e/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = process.env.AV_CLI || path.join(root, 'target/release/article-viewer-cli');
const N = +(process.argv[2] || 10000);
const EDITS = +(process.argv[3] || 21);
const WORK = path.join(fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'av-serve-bench');

const corpus = writeCorpus(N, WORK);
const article = path.join(corpus.viewer, 'articles', 'a000042.json');
let said = '';
const serve = spawn(CLI, ['serve', '--content', corpus.viewer, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
serve.stdout.on('data', (d) => { said += d; });
serve.stderr.on('data', (d) => { said += d; });
const base = await new Promise((resolve, reject) => {
  const poll = setInterval(() => {
    const m = said.match(/at (http:\/\/127\.0\.0\.1:\d+\/) \(built in (\d+) ms/);
    if (m) { clearInterval(poll); console.log(`serve: first build of ${N.toLocaleString('en')} posts in ${m[2]} ms`); resolve(m[1]); }
  }, 50);
  serve.on('exit', (code) => reject(new Error(`serve exited (${code}):\n${said}`)));
});

const browser = await launchBrowser();
const page = await openPage(await browser.newContext());
await page.goto(new URL('articles/a000042.html', base).href);
await page.waitForFunction(() => document.documentElement.dataset.avServe === 'open');
const doc = JSON.parse(fs.readFileSync(article, 'utf8'));
const times = [];
for (let i = 0; i < EDITS; i++) {
  const title = `편집 ${i}: ${doc.title}`;
  const started = performance.now();
  fs.writeFileSync(article, JSON.stringify({ ...doc, title }, null, 2));
  await page.waitForFunction((t) => document.querySelector('h1')?.textContent === t, title, { polling: 'raf', timeout: 30000 });
  times.push(performance.now() - started);
  await page.waitForFunction(() => document.documentElement.dataset.avServe === 'open');
  // The next save comes once serve has finished this one (tag pages, feeds and sitemap come
  // after the edited page), as a writer's saves do, seconds apart.
  while ((said.match(/updated in|rebuilt the site/g) || []).length < i + 1) await new Promise((ok) => setTimeout(ok, 20));
}
await browser.close();
serve.kill();
const updates = [...said.matchAll(/updated in (\d+) ms/g)].map((m) => +m[1]);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
console.log(`machine: ${os.cpus().length} cores, ${os.cpus()[0].model}`);
console.log('| posts | edits | edit to visible, median | fastest | slowest | serve\'s update, median | full rebuilds |');
console.log('|---|---|---|---|---|---|---|');
console.log(`| ${N.toLocaleString('en')} | ${EDITS} | ${Math.round(median(times))} ms | ${Math.round(sorted(times)[0])} ms | ${Math.round(sorted(times).at(-1))} ms | ${updates.length ? Math.round(median(updates)) + ' ms' : '-'} | ${(said.match(/rebuilt the site/g) || []).length} |`);
