// Benchmark: searching an archive of 100,000 and 1,000,000 entries over a throttled connection,
// article-viewer's static archive beside Pagefind 1.6 on the same corpus, in the same run.
// Usage: node bench/archive.mjs [sizes...]        (default 100000 1000000; after `trunk build --release`)
//
// Per size:
//  1. the corpus: bench/archive-corpus.mjs (seeded, Korean-heavy: bench/collections.mjs), cached in
//     bench/.data/;
//  2. article-viewer's archive: `article-viewer-cli index` (wall time and peak memory from
//     /usr/bin/time -v), served at /_archive/<size>/;
//  3. Pagefind 1.6 (npm `pagefind`, its Node API, offline): one small HTML page per entry (title,
//     summary, picks, tags and authors, tags and authors as filters), served at /_pagefind/<size>/;
//  4. headless Chromium throttled through CDP (Network.emulateNetworkConditions: 40 ms latency,
//     10 Mbit/s down and up), a new context (cold cache) per query; each query of the Korean set is
//     typed keystroke by keystroke as a 2-set IME shows it (bench/search.mjs's states).
//
// Reported per engine and size: first results after a keystroke (median, p95), bytes on the wire
// for the first keystroke (cold) and the most for any following one, Korean recall against the
// reference matcher of bench/collections.mjs (which the in-memory engine matches exactly), and for
// the archive its build time and memory and the tab's memory (JS heap + wasm).
//
// TODO(viewer): `measureViewer` needs the viewer to open `?src=_archive/<size>/index.json` (the UI
// integration of src/archive); until then only Pagefind's half runs and the viewer's column
// says so. cli/examples/archive_eval.rs has the archive's native figures meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, DIST } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';
import { articlesOf, QUERIES, referenceMatch, foldAll, decompose, compose, keysOf, KEYS } from './collections.mjs';
import { writeCorpus, SEED } from './archive-corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const DATA = path.join(here, '.data');
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!SIZES.length) SIZES.push(100_000, 1_000_000);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const KOREAN = QUERIES.filter((q) => q.korean);
const PAGE = 12;

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => { const s = sorted(xs); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const kb = (b) => fmt(b / 1000, 1);

// ---------------------------------------------------------------------------------------------
// The states a 2-set IME shows while typing (as bench/search.mjs types them).
const VOWEL_KEYS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ';
const joinKeys = (a, b) => Object.keys(KEYS).find((j) => KEYS[j] === a + b);
const canTail = (c) => compose('ㄱ', 'ㅏ', c) !== null;
function composeKeys(prefix, keys) {
  const states = [];
  let done = prefix, cur = null;
  const render = () => done + (!cur ? '' : cur.l && cur.v ? compose(cur.l, cur.v, cur.t) : cur.l || cur.v);
  const commit = () => { done = render(); cur = null; };
  for (const k of keys) {
    if (VOWEL_KEYS.includes(k)) {
      if (!cur) cur = { v: k, t: '' };
      else if (!cur.v) cur.v = k;
      else if (!cur.t && joinKeys(cur.v, k)) cur.v = joinKeys(cur.v, k);
      else if (cur.t && cur.l) {
        const tk = keysOf(cur.t), moved = tk.pop();
        done += compose(cur.l, cur.v, tk.length ? tk.join('') : '');
        cur = { l: moved, v: k, t: '' };
      } else { commit(); cur = { v: k, t: '' }; }
    } else if (!cur) cur = { l: k, t: '' };
    else if (cur.l && cur.v && !cur.t && canTail(k)) cur.t = k;
    else if (cur.l && cur.v && cur.t && joinKeys(cur.t, k)) cur.t = joinKeys(cur.t, k);
    else { commit(); cur = { l: k, t: '' }; }
    states.push(render());
  }
  return states;
}
const syllableKeys = (ch) => { const d = decompose(ch); return [d.lead, ...keysOf(d.vowel), ...(d.tail ? keysOf(d.tail) : [])]; };
/** Every state of the search box while `q` is typed, NFD queries typed as NFD. */
export function typedStates(q) {
  const nfd = q !== q.normalize('NFC');
  const out = [];
  let value = '';
  q.normalize('NFC').split(' ').forEach((word, i) => {
    if (i > 0) { value += ' '; out.push(value); }
    const chars = [...word];
    for (let a = 0; a < chars.length;) {
      if (!decompose(chars[a])) { value += chars[a++]; out.push(value); continue; }
      let b = a;
      while (b < chars.length && decompose(chars[b])) b++;
      const s = composeKeys(value, chars.slice(a, b).flatMap(syllableKeys));
      out.push(...s);
      value = s[s.length - 1];
      a = b;
    }
  });
  return nfd ? out.map((s) => s.normalize('NFD')) : out;
}

// ---------------------------------------------------------------------------------------------
function corpus(n) {
  fs.mkdirSync(DATA, { recursive: true });
  return path.join(DATA, `corpus-${n}-${SEED}.json`);
}

function buildArchive(n, file) {
  const out = path.join(DIST, '_archive', String(n));
  const cli = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
  execFileSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: ROOT, stdio: 'inherit' });
  const t = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', cli, 'index', file, '--out', out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`index failed: ${r.stderr}`);
  const peak = +(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) || [])[1] * 1024;
  return { out, ms: Date.now() - t, peak, summary: r.stdout.trim() };
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function buildPagefind(n) {
  const pagefind = await import('pagefind');
  const out = path.join(DIST, '_pagefind', String(n));
  const t = Date.now();
  const { index } = await pagefind.createIndex({ forceLanguage: 'ko' });
  let i = 0;
  for (const a of articlesOf(n, SEED)) {
    // One small page per entry: what a static site would publish for it.
    const html = `<!doctype html><html lang="ko"><head><title>${esc(a.title)}</title></head><body><main data-pagefind-body>`
      + `<h1>${esc(a.title)}</h1><p>${esc(a.summary || '')}</p>`
      + (a.editors_pick ? `<ul>${a.editors_pick.items.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '')
      + `<p>${(a.tags || []).map((x) => `<span data-pagefind-filter="tag">${esc(x)}</span>`).join(' ')}</p>`
      + `<p>${(a.authors || []).map((x) => `<span data-pagefind-filter="author">${esc(x.name)}</span>`).join(' ')}</p>`
      + `<p data-pagefind-meta="id">${esc(a.id)}</p></main></body></html>`;
    const r = await index.addHTMLFile({ url: `/a/${a.id}.html`, content: html });
    if (r.errors?.length) throw new Error(r.errors.join('; '));
    if (++i % 100_000 === 0) console.log(`  pagefind: ${i.toLocaleString('en')} pages`);
  }
  fs.rmSync(out, { recursive: true, force: true });
  const w = await index.writeFiles({ outputPath: out });
  if (w.errors?.length) throw new Error(w.errors.join('; '));
  await pagefind.close();
  return { out, ms: Date.now() - t };
}

/** Throttles `page` through CDP and counts the bytes of every response (headers and body as sent). */
async function throttled(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  const meter = { bytes: 0, requests: 0, pending: [] };
  page.on('requestfinished', (req) => {
    meter.pending.push(req.sizes().then((s) => { meter.bytes += s.responseBodySize + s.responseHeadersSize; meter.requests += 1; }, () => {}));
  });
  meter.settle = async () => { await new Promise((r) => setTimeout(r, 20)); await Promise.all(meter.pending.splice(0)); };
  return { cdp, meter };
}

async function measurePagefind(browser, server, n, expected) {
  const rows = [];
  const recall = [];
  for (const q of KOREAN) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/_bench/blank.html`);
    const { meter } = await throttled(context, page);
    // Pagefind's start-up (entry script, wasm, metadata) is not counted, as the viewer's own
    // start-up (wasm, index.json, manifest) is not: both happen before the first keystroke.
    await page.evaluate(async (base) => {
      window.__pf = await import(`${base}/pagefind.js`);
      await window.__pf.options({ baseUrl: '/' });
      await window.__pf.init();
    }, `/_pagefind/${n}`);
    await meter.settle();
    let found = 0;
    for (const [k, state] of typedStates(q.q).entries()) {
      const before = meter.bytes;
      const t = await page.evaluate(async ({ state, PAGE }) => {
        const t0 = performance.now();
        const r = await window.__pf.search(state);
        await Promise.all(r.results.slice(0, PAGE).map((x) => x.data()));
        return { ms: performance.now() - t0, count: r.results.length };
      }, { state, PAGE });
      await meter.settle();
      rows.push({ q: q.name, k, ms: t.ms, bytes: meter.bytes - before });
      found = t.count;
    }
    const want = expected.get(q.q).length;
    recall.push(want ? Math.min(found, want) / want : 1);
    await context.close();
  }
  return summarize(rows, recall);
}

// TODO(viewer): type each query into `input.av-search` on `/?src=_archive/<n>/index.json` (as
// bench/search.mjs does) in a throttled context per query, timing input -> first results in the
// DOM and counting bytes with the same meter; recall from `.av-count` against `expected`; the tab's
// memory from CDP `Runtime.getHeapUsage` plus the wasm memory's byteLength.
async function measureViewer() {
  return null;
}

function summarize(rows, recall) {
  const first = rows.filter((r) => r.k === 0);
  const following = rows.filter((r) => r.k > 0);
  return {
    median: quantile(rows.map((r) => r.ms), 0.5),
    p95: quantile(rows.map((r) => r.ms), 0.95),
    cold: Math.max(...first.map((r) => r.bytes)),
    following: Math.max(0, ...following.map((r) => r.bytes)),
    recall: recall.reduce((a, b) => a + b, 0) / recall.length,
  };
}

async function main() {
  const server = await startServer({ root: DIST });
  server.docs.set('/_bench/blank.html', { body: '<!doctype html><meta charset="utf-8"><title>bench</title>', type: 'text/html; charset=utf-8' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const table = [];
  try {
    for (const n of SIZES) {
      const file = corpus(n);
      if (!fs.existsSync(file)) await writeCorpus(n, file);
      console.log(`${n.toLocaleString('en')} entries: ${file}`);
      const archive = buildArchive(n, file);
      console.log(`  archive: ${archive.summary} (${fmt(archive.ms / 1000, 1)} s, peak ${fmt(archive.peak / 1e6)} MB)`);
      const pf = await buildPagefind(n);
      console.log(`  pagefind: ${fmt(pf.ms / 1000, 1)} s`);
      const articles = [...articlesOf(n, SEED)];
      const folded = foldAll(articles);
      const expected = new Map(KOREAN.map((q) => [q.q, referenceMatch(articles, q.q, folded)]));
      const viewer = await measureViewer(browser, server, n, expected);
      const pagefind = await measurePagefind(browser, server, n, expected);
      table.push({ n, engine: 'article-viewer archive', r: viewer, build: archive });
      table.push({ n, engine: 'Pagefind 1.6', r: pagefind, build: { ms: pf.ms } });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('\n| engine | N | first results median ms | p95 ms | KB cold | KB per following keystroke | Korean recall | build s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const { n, engine, r, build } of table) {
    const cells = r ? [fmt(r.median), fmt(r.p95), kb(r.cold), kb(r.following), fmt(r.recall, 2)] : ['TODO(viewer)', '', '', '', ''];
    console.log(`| ${engine} | ${n.toLocaleString('en')} | ${cells.join(' | ')} | ${fmt(build.ms / 1000, 1)} |`);
  }
}

if (fileURLToPath(import.meta.url) === path.resolve(process.argv[1] || '')) {
  await main();
}

