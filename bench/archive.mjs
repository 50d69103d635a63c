// Benchmark: searching an archive of 100,000 and 1,000,000 entries over a throttled connection,
// article-viewer's static archive beside Pagefind 1.6 on the same corpus, in the same run.
// Usage: node bench/archive.mjs [sizes...]        (default 100000 1000000; after `trunk build --release`)
//
// Environment:
//   AV_DIST=<dir>       serve this copy of the release build instead of dist/ (the archives and
//                       Pagefind's index are written into it: <dir>/_archive/<n>/, <dir>/_pagefind/<n>/);
//                       take a snapshot first when dist/ may be rebuilt during the run:
//                         cp -r dist /tmp/av-bench-dist && AV_DIST=/tmp/av-bench-dist node bench/archive.mjs
//   AV_PAGEFIND=<dir>   the `pagefind` package to use when `import('pagefind')` finds none;
//   AV_ENGINES=viewer,pagefind   which engines to measure (default both);
//   AV_REUSE=1          reuse an archive already in <dir>/_archive/<n>/ (no build figures then);
//   AV_CHECK_STATES=N   check every typed state's count and first page against the reference up
//                       to N entries (default 100000; the final states are always checked);
//   AV_STATE_LIMIT_MS=N how long a typed state may take before it counts as never answered (120000).
// At a million entries node needs NODE_OPTIONS=--max-old-space-size=10240 (the reference holds the
// corpus in memory).
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
// The viewer (`measureViewer`): `viewer.html?src=_archive/<n>/index.json` in a new throttled
// context per query; the app's start-up (its wasm, index.json, the worker and the manifest, and
// the first page of the whole archive) is done and counted apart before the first keystroke. Each
// state is written into `input.av-search` with one `input` event (isComposing while a syllable is
// open), as an IME does; the next state is typed when this one is settled (first page drawn, facet
// counts in, no request in flight). Time = from just before dispatchEvent to the first DOM change
// that shows the worker's first answer for this state (its total in `.av-count`), seen by a
// MutationObserver installed before the app starts: the page's `Worker` is wrapped to note each
// question (postMessage) and answer (message) with performance.now(). Bytes: CDP
// Network.loadingFinished encodedDataLength (headers + body as received) of the page's and the
// worker's requests (the worker's through Target.setAutoAttach); the favicon, which headless
// Chromium asks for again on every history change and the test server marks no-store, is left
// out; a fetch DevTools reports canceled after its first chunk (the worker used the whole body)
// counts whole, and the index files' bytes are checked against what the server sent. Memory at
// the end of each query, after a forced GC: the page's JS heap (Performance
// .getMetrics JSHeapUsedSize), the worker's (Runtime.getHeapUsage usedSize) and both wasm
// memories (memory.buffer.byteLength).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, DIST } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';
import { articlesOf, QUERIES, referenceMatch, foldAll, decompose, composeKeys, syllableKeys } from './collections.mjs';
import { writeCorpus, SEED } from './archive-corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..');
const DATA = path.join(here, '.data');
const AV_DIST = process.env.AV_DIST ? path.resolve(process.env.AV_DIST) : DIST;
const ENGINES = (process.env.AV_ENGINES || 'viewer,pagefind').split(',').map((s) => s.trim());
const CHECK_STATES = Number(process.env.AV_CHECK_STATES || 100_000);
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!SIZES.length) SIZES.push(100_000, 1_000_000);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const KOREAN = QUERIES.filter((q) => q.korean);
const PAGE = 12;
// AV_TAG=보안: every query typed under that tag selected (`&tag=` in the viewer's address), the
// reference filtered to the entries that have it. The viewer only (Pagefind has no such filter here).
const TAG = process.env.AV_TAG || '';
const underTag = (articles, ids) => (TAG ? ids.filter((i) => articles[i].tags.includes(TAG)) : ids);

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => { const s = sorted(xs); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const kb = (b) => fmt(b / 1000, 1);

// ---------------------------------------------------------------------------------------------
// The states a 2-set IME shows while typing (as bench/search.mjs types them).
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

/** The CLI: the release binary when built, else `cargo run --release` (which builds it). */
function cliCommand() {
  const bin = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
  if (fs.existsSync(bin)) return [bin];
  return ['cargo', 'run', '--quiet', '--release', '-p', 'article-viewer-cli', '--'];
}

function buildArchive(n, file) {
  const out = path.join(AV_DIST, '_archive', String(n));
  if (process.env.AV_REUSE && fs.existsSync(path.join(out, 'index.json'))) {
    return { out, ms: NaN, peak: NaN, summary: `reused ${out}` };
  }
  const [cmd, ...pre] = cliCommand();
  const t = Date.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...pre, 'index', file, '--out', out], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`index failed: ${r.stderr}`);
  const peak = +(r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) || [])[1] * 1024;
  return { out, ms: Date.now() - t, peak, summary: r.stdout.trim() };
}

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

async function importPagefind() {
  try {
    return await import('pagefind');
  } catch (e) {
    if (!process.env.AV_PAGEFIND) throw new Error(`${e.message} (run \`npm install\`, or set AV_PAGEFIND to a pagefind package folder)`);
    const dir = path.resolve(process.env.AV_PAGEFIND);
    const main = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).main || 'lib/index.js';
    return import(pathToFileURL(path.join(dir, main)).href);
  }
}

async function buildPagefind(n) {
  const pagefind = await importPagefind();
  const out = path.join(AV_DIST, '_pagefind', String(n));
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

// ---------------------------------------------------------------------------------------------
// The viewer.

/**
 * Installed in the page before the app starts (context.addInitScript). Notes each question the
 * app asks its archive worker (postMessage) and each answer (message: `t` as it arrives, before
 * the app's handler; `after` once the app's handler and the render it schedules, a microtask, are
 * done), and every DOM change with what the count line says then. `__av.type` types one state.
 */
const INSTRUMENT = `(() => {
  const av = window.__av = { posts: [], replies: [], muts: [], workers: 0 };
  const count = () => {
    const text = document.querySelector('.av-count')?.textContent || '';
    const nums = (text.match(/\\d[\\d,]*/g) || []).map((x) => +x.replace(/,/g, ''));
    // "기사 N개 중 M개" / "M of N articles"; "기사 N개" when all match; " · 세는 중…" while counting.
    const shown = / of /.test(text) ? nums[0] : nums.length > 1 ? nums[1] : nums.length ? nums[0] : null;
    return { text, shown, counting: text.includes('·') };
  };
  av.count = count;
  // A question out: aria-busy on the results (on the whole collection in earlier builds).
  av.busy = () => document.querySelector('.av-collection .av-results[aria-busy], .av-collection[aria-busy]')?.getAttribute('aria-busy');
  const Native = window.Worker;
  if (Native) {
    window.Worker = class extends Native {
      constructor(...args) {
        super(...args);
        av.workers += 1;
        this.addEventListener('message', (e) => {
          const d = e.data || {};
          let hits = [], titles = [];
          try { const e = (d.hits || []).map((h) => JSON.parse(h)); hits = e.map((x) => x.id); titles = e.map((x) => x.title); } catch { hits = null; }
          av.replies.push({ t: performance.now(), id: d.id, total: d.total, counted: d.counted, hits, titles, error: d.error, url: d.url });
        });
      }
      postMessage(m, ...rest) {
        if (!this.__avAfter) {
          // The app's own listener is there by its first question: this one runs after it.
          this.__avAfter = true;
          this.addEventListener('message', (e) => {
            const r = av.replies.findLast((x) => x.id === e.data?.id);
            if (r) r.after = performance.now();
          });
        }
        av.posts.push({ t: performance.now(), id: m?.id, q: m?.q, offset: m?.offset, counts: m?.counts });
        return super.postMessage(m, ...rest);
      }
    };
  }
  new MutationObserver(() => {
    const c = count();
    av.muts.push({ t: performance.now(), shown: c.shown, counting: c.counting });
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-busy'] });

  const cardIds = () => [...document.querySelectorAll('.av-collection .av-card a.av-card-link')]
    .map((a) => decodeURIComponent(a.getAttribute('href') || '').match(/(a\\d{6})\\.json/)).filter(Boolean).map((m) => m[1]);
  const cardTitles = () => [...document.querySelectorAll('.av-collection .av-card .av-card-title')].map((h) => h.textContent);
  const same = (a, b) => (a || '').normalize('NFC') === (b || '').normalize('NFC');
  av.type = async (value, composing, limitMs) => {
    const input = document.querySelector('input.av-search');
    input.focus();
    const from = { posts: av.posts.length, replies: av.replies.length, muts: av.muts.length };
    input.value = value;
    const t0 = performance.now();
    input.dispatchEvent(new InputEvent('input', {
      bubbles: true, composed: true, isComposing: composing,
      inputType: composing ? 'insertCompositionText' : 'insertText', data: [...value].pop() ?? null,
    }));
    for (;;) {
      await new Promise((r) => setTimeout(r, 4));
      const now = performance.now();
      const shownError = document.querySelector('.av-error-message')?.textContent;
      const post = av.posts.slice(from.posts).find((p) => !p.counts && p.offset === 0 && same(p.q, value));
      const reply = post && av.replies.slice(from.replies).find((r) => r.id === post.id);
      const c = count();
      const busy = av.busy();
      if (shownError || reply?.error) {
        return { error: shownError || reply.error, url: reply?.url, text: c.text, ms: now - t0 };
      }
      if (reply && reply.after !== undefined && busy === 'false' && !c.counting && c.shown === reply.total) {
        // First results drawn: the DOM change that shows this answer's total, in the render the
        // answer caused (before 'after'), else the first such change after it; an answer that
        // changed nothing on screen counts at 'after'.
        const seen = av.muts.slice(from.muts).filter((m) => m.t >= reply.t && m.shown === reply.total);
        const drawn = seen.filter((m) => m.t <= reply.after).pop() || seen[0];
        const counted = reply.counted ? reply : av.replies.slice(from.replies).find((r) => r.id === post.id + 0.5 && !r.error);
        return {
          ms: (drawn ? drawn.t : reply.after) - t0,
          answered: reply.t - t0,
          rendered: reply.after - reply.t,
          drawnSeen: !!drawn,
          counted: (counted ? counted.after ?? counted.t : now) - t0,
          total: reply.total,
          countedTotal: counted?.total,
          shown: c.shown,
          hits: reply.hits,
          titles: reply.titles,
          cards: cardIds(),
          cardTitles: cardTitles(),
          // Every entry answered since this state was typed, and before (to tell stale cards).
          earlier: [...new Set(av.replies.slice(0, from.replies).flatMap((x) => x.hits || []))],
          questions: av.posts.length - from.posts,
        };
      }
      if (now - t0 > limitMs) {
        return { timeout: true, text: c.text, busy, ms: now - t0, posts: av.posts.slice(from.posts), replies: av.replies.slice(from.replies).map((r) => ({ ...r, hits: r.hits?.length })) };
      }
    }
  };
})();`;

/** What a file of the viewer's is, for the start-up's account. */
function kindOf(url, n) {
  const p = new URL(url).pathname;
  if (/favicon/.test(p)) return 'favicon';
  if (p === `/_archive/${n}/index.json`) return 'index.json';
  if (p.startsWith(`/_archive/${n}/`)) return /\/manifest\.bin$/.test(p) ? 'manifest' : 'index files';
  if (/archive-worker/.test(p)) return 'worker';
  return 'app';
}

/**
 * Throttles the page (the worker's requests inherit it: checked, a 100 KB file takes 136 ms
 * throttled and 4 ms not) and meters every response of the page and of its workers through CDP.
 * The workers are reached with Target.setAutoAttach (non-flat sessions, so this session can talk
 * to them) and paused at start until their Network domain is on.
 */
async function cdpNetwork(context, page, n) {
  const cdp = await context.newCDPSession(page);
  const reqs = new Map();
  const workers = new Set();
  let seq = 0, lastEvent = Date.now();
  const waiting = new Map();
  const call = (sessionId, method, params = {}) => new Promise((ok, fail) => {
    const id = ++seq;
    waiting.set(id, { ok, fail });
    cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) }).catch(fail);
  });
  const onNetwork = (owner, method, p) => {
    if (!method.startsWith('Network.')) return;
    lastEvent = Date.now();
    const r = reqs.get(p.requestId);
    if (r && r.owner !== owner) return; // reported by two sessions: count once
    switch (method) {
      case 'Network.requestWillBeSent': {
        const carried = r && p.redirectResponse ? r.bytes + (p.redirectResponse.encodedDataLength || 0) : 0;
        reqs.set(p.requestId, { owner, url: p.request.url, kind: kindOf(p.request.url, n), bytes: carried, headers: 0, data: 0, done: false });
        break;
      }
      case 'Network.responseReceived':
        if (r) { r.headers = p.response.encodedDataLength || 0; r.status = p.response.status; }
        break;
      case 'Network.dataReceived':
        if (r) r.data += p.encodedDataLength || 0;
        break;
      case 'Network.loadingFinished':
        if (r) { r.bytes += p.encodedDataLength; r.done = true; break; }
        {
          // A worker's own script: the page reports its start, the worker's session its end
          // (under another id).
          const script = [...reqs.values()].find((x) => x.owner === 'page' && x.kind === 'worker' && !x.done);
          if (script) { script.bytes += p.encodedDataLength; script.done = true; } else reqs.set(p.requestId, { owner, url: '(worker script)', kind: 'worker', bytes: p.encodedDataLength, done: true });
        }
        break;
      case 'Network.loadingFailed':
        if (r) {
          // DevTools reports some of the worker's fetches as canceled (net::ERR_ABORTED) after
          // their first chunk although the worker read and used the whole body (a gzip stream
          // inflates only when complete): the server sent it all, so it counts whole.
          const size = fileSize(r.url);
          r.bytes += Math.max(r.headers + r.data, size === null ? 0 : (r.headers || 190) + size);
          r.done = true;
          r.failed = p.errorText;
        }
        break;
      default:
    }
  };
  cdp.on('Network.requestWillBeSent', (p) => onNetwork('page', 'Network.requestWillBeSent', p));
  for (const m of ['responseReceived', 'dataReceived', 'loadingFinished', 'loadingFailed']) cdp.on(`Network.${m}`, (p) => onNetwork('page', `Network.${m}`, p));
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (m.id && waiting.has(m.id)) {
      const w = waiting.get(m.id);
      waiting.delete(m.id);
      return m.error ? w.fail(new Error(`${m.error.message}`)) : w.ok(m.result);
    }
    if (m.method) onNetwork(e.sessionId, m.method, m.params);
  });
  cdp.on('Target.attachedToTarget', async (e) => {
    if (e.targetInfo.type !== 'worker') return;
    workers.add(e.sessionId);
    try { await call(e.sessionId, 'Network.enable'); } catch { /* a worker ending as it starts */ }
    await call(e.sessionId, 'Runtime.runIfWaitingForDebugger').catch(() => {});
  });
  cdp.on('Target.detachedFromTarget', (e) => workers.delete(e.sessionId));
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  await cdp.send('Performance.enable');
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  const metered = () => [...reqs.values()].filter((r) => r.kind !== 'favicon');
  return {
    cdp,
    call,
    workers,
    bytes: () => metered().reduce((a, r) => a + r.bytes, 0),
    requests: () => metered().length,
    all: () => [...reqs.values()],
    /** Until no request is in flight and nothing has happened on the network for `ms`. */
    async quiet(ms = 150, limit = 60_000) {
      const t = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 25));
        // (The page never hears the end of a worker's own script: its worker's session may.)
        const busy = [...reqs.values()].some((r) => !r.done && !(r.owner === 'page' && r.kind === 'worker' && workers.size));
        if (!busy && Date.now() - lastEvent >= ms) return true;
        if (Date.now() - t > limit) return false;
      }
    },
  };
}

/** The tab's memory after a forced GC: the page's JS heap and wasm memory, and each worker's. */
async function tabMemory(page, net) {
  await net.cdp.send('HeapProfiler.collectGarbage').catch(() => {});
  const metrics = (await net.cdp.send('Performance.getMetrics')).metrics;
  const pageHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  const pageWasm = await page.evaluate(async () => {
    const src = performance.getEntriesByType('resource').map((e) => e.name).find((u) => /\/article-viewer-[0-9a-f]+\.js$/.test(u));
    if (!src) return NaN;
    const app = await import(src);
    return (await app.default()).memory.buffer.byteLength; // the running instance's exports
  }).catch(() => NaN);
  let workerHeap = 0, workerWasm = 0;
  for (const s of net.workers) {
    await net.call(s, 'HeapProfiler.collectGarbage').catch(() => {});
    workerHeap += (await net.call(s, 'Runtime.getHeapUsage').catch(() => ({ usedSize: NaN }))).usedSize;
    const w = await net.call(s, 'Runtime.evaluate', {
      expression: 'wasm_bindgen().then((e) => e.memory.buffer.byteLength)', awaitPromise: true, returnByValue: true,
    }).catch(() => null);
    workerWasm += w?.result?.value ?? NaN;
  }
  return { pageHeap, pageWasm, workerHeap, workerWasm, workers: net.workers.size, total: pageHeap + pageWasm + workerHeap + workerWasm };
}

/** The size of the file the test server serves at `url`, or null. */
function fileSize(url) {
  try {
    const f = path.join(AV_DIST, decodeURIComponent(new URL(url).pathname));
    return f.startsWith(AV_DIST) && fs.statSync(f).isFile() ? fs.statSync(f).size : null;
  } catch { return null; }
}

/** Bytes of the archive's index files (not index.json, not the manifest) the server has sent bodies of. */
function archiveServed(server, n) {
  let sum = 0;
  for (const [p, hits] of server.hits) {
    if (!p.startsWith(`/_archive/${n}/v`) || p.endsWith('/manifest.bin')) continue;
    const f = path.join(AV_DIST, p);
    if (fs.existsSync(f)) sum += hits * fs.statSync(f).size;
  }
  return sum;
}

/** The viewer's page in the snapshot: `viewer.html` (the app page), else `index.html`. */
const viewerFile = () => (fs.existsSync(path.join(AV_DIST, 'viewer.html')) ? 'viewer.html' : 'index.html');
const isComposing = (s) => /[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]$/.test(s.normalize('NFC'));
const STATE_LIMIT_MS = Number(process.env.AV_STATE_LIMIT_MS || 120_000);

async function measureViewer(browser, server, n, expected, checks) {
  const rows = [], recall = [], queries = [], bugs = [], memory = [], startups = [];
  const url = `${server.url}/${viewerFile()}?src=_archive/${n}/index.json${TAG ? `&tag=${encodeURIComponent(TAG)}` : ''}`;
  for (const q of KOREAN) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    const net = await cdpNetwork(context, page, n);
    // Start-up: the app, index.json, the worker, the manifest and the whole archive's first page.
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForSelector('.av-app[data-ready]', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('.av-error')
      || (window.__av.replies.some((r) => r.counted) && window.__av.busy() === 'false'),
    null, { timeout: 120_000, polling: 10 });
    const readyMs = Date.now() - t0;
    await net.quiet();
    const startError = await page.evaluate(() => document.querySelector('.av-error')?.textContent);
    if (startError) bugs.push(`${q.name}: at start-up, .av-error: ${startError}`);
    const byKind = {};
    for (const r of net.all()) byKind[r.kind] = (byKind[r.kind] || 0) + r.bytes;
    startups.push({ ms: readyMs, byKind, requests: net.requests() });
    const detail = { q: q.name, states: [], final: null };
    // A cross-check of the meter: the index files' bodies as the server sent them.
    const served = archiveServed(server, n);
    const metered = net.all().filter((r) => r.kind === 'index files').reduce((a, r) => a + r.bytes, 0);
    let found = NaN;
    const states = typedStates(q.q);
    for (const [k, state] of states.entries()) {
      await net.quiet();
      const before = net.bytes(), beforeN = net.requests();
      const r = await page.evaluate(([v, c, lim]) => window.__av.type(v, c, lim), [state, isComposing(state), STATE_LIMIT_MS]);
      await net.quiet();
      const bytes = net.bytes() - before;
      if (r.error || r.timeout) {
        bugs.push(`${q.name}: state ${k + 1}/${states.length} ${JSON.stringify(state)}: ${r.error ? `error shown: ${r.error}${r.url ? ` (${r.url})` : ''}` : `no answer drawn within ${STATE_LIMIT_MS / 1000} s`}; count line "${r.text}"${r.timeout ? `, aria-busy=${r.busy}, questions ${JSON.stringify(r.posts)}, answers ${JSON.stringify(r.replies)}` : ''}`);
        detail.states.push({ state, failed: true, bytes });
        found = NaN;
        break;
      }
      rows.push({ q: q.name, k, ms: r.ms, bytes });
      detail.states.push({ state, ms: r.ms, answered: r.answered, rendered: r.rendered, counted: r.counted, drawnSeen: r.drawnSeen, bytes, requests: net.requests() - beforeN, total: r.total });
      found = r.shown;
      if (r.countedTotal !== undefined && r.countedTotal !== r.total) {
        bugs.push(`${q.name}: state ${JSON.stringify(state)}: first page says ${r.total} entries, the counted answer ${r.countedTotal}`);
      }
      // Against the reference: the count, and the first page's entries all expected.
      const want = checks.get(state.normalize('NFC'));
      if (want) {
        const answered = r.hits.filter((id) => !want.has(id));
        const drawn = r.cards.filter((id) => !want.has(id));
        if (r.shown !== want.size || answered.length || drawn.length) {
          bugs.push(`${q.name}: state ${JSON.stringify(state)}: shows ${r.shown} (reference ${want.size})`
            + (answered.length ? `; the worker's first page has ${answered.length} entries the reference does not match (${answered.slice(0, 5).join(' ')})` : '')
            + (drawn.length ? `; ${drawn.length} of the ${r.cards.length} cards on screen are not in the reference (${drawn.slice(0, 5).join(' ')}`
              + `${drawn.every((id) => r.earlier.includes(id)) ? ', all from answers to earlier states' : ''}; `
              + `titles on screen ${JSON.stringify(r.cardTitles) === JSON.stringify((r.titles || []).slice(0, r.cardTitles.length)) ? 'are' : 'are NOT'} the first page's; `
              + `card links: ${r.cards.join(' ')}; first page: ${r.hits.join(' ')}; titles on screen: ${JSON.stringify(r.cardTitles.slice(0, 4))}…; first page titles: ${JSON.stringify((r.titles || []).slice(0, 4))}…)` : ''));
        }
        detail.checked = (detail.checked || 0) + 1;
      }
    }
    const want = expected.get(q.q).length;
    recall.push(Number.isFinite(found) && want ? Math.min(found, want) / want : Number.isFinite(found) ? 1 : 0);
    detail.final = { found, want };
    if (found !== want) bugs.push(`${q.name}: the final count is ${found}, the reference ${want}`);
    const servedBodies = archiveServed(server, n) - served;
    const meteredFiles = net.all().filter((r) => r.kind === 'index files').reduce((a, r) => a + r.bytes, 0) - metered;
    if (meteredFiles < servedBodies) bugs.push(`${q.name}: metered ${meteredFiles} bytes of index files, but the server sent ${servedBodies} bytes of bodies (a request the meter missed?)`);
    detail.served = servedBodies;
    detail.canceled = net.all().filter((r) => r.failed).length;
    memory.push({ q: q.name, ...(await tabMemory(page, net)) });
    if (problems.length) bugs.push(`${q.name}: ${problems.join('; ')}`);
    queries.push(detail);
    console.log(`    ${q.name}: ${detail.states.map((x) => (x.failed ? 'FAILED' : `${fmt(x.ms)}ms/${kb(x.bytes)}KB`)).join(' ')}; ${found} of ${want}`);
    await context.close();
  }
  return { ...summarize(rows, recall), queries, bugs, memory, startups };
}

/** Each typed state's reference answer (a set of ids), for sizes up to CHECK_STATES. */
function stateChecks(n, articles, folded, expected) {
  const checks = new Map();
  const all = n <= CHECK_STATES;
  for (const q of KOREAN) {
    for (const s of all ? typedStates(q.q) : [q.q]) {
      const key = s.normalize('NFC');
      if (checks.has(key)) continue;
      const hits = s === q.q ? expected.get(q.q) : underTag(articles, referenceMatch(articles, s, folded));
      checks.set(key, new Set(hits.map((i) => articles[i].id)));
    }
  }
  return checks;
}

const mb = (b) => fmt(b / 1e6, 1);

/** The viewer's own figures: per query, the start-up, the tab's memory and what went wrong. */
function printViewer(n, v) {
  console.log(`\narticle-viewer archive, ${n.toLocaleString('en')} entries: per query (cold context; every state typed after the previous one settled)`);
  console.log('| query | states | first keystroke (cold) | worst following keystroke | slowest first results | slowest with facet counts | whole query | count / reference |');
  console.log('|---|---:|---|---|---:|---:|---:|---:|');
  for (const d of v.queries) {
    const ok = d.states.filter((s) => !s.failed);
    const first = ok[0];
    const rest = ok.slice(1);
    const worst = rest.reduce((a, s) => (!a || s.bytes > a.bytes ? s : a), null);
    const slow = Math.max(...ok.map((s) => s.ms));
    const counted = Math.max(...ok.map((s) => s.counted));
    const whole = d.states.reduce((a, s) => a + s.bytes, 0);
    console.log(`| ${d.q} | ${d.states.length} | ${first ? `${kb(first.bytes)} KB, ${first.requests} req, ${fmt(first.ms)} ms` : '–'} | ${worst ? `${kb(worst.bytes)} KB (\`${worst.state.normalize('NFC')}\`)` : '–'} | ${fmt(slow)} ms | ${fmt(counted)} ms | ${kb(whole)} KB | ${d.final.found} / ${d.final.want} |`);
  }
  const rows = v.queries.flatMap((d) => d.states.filter((s) => !s.failed));
  const med = (f) => quantile(rows.map(f), 0.5), p95 = (f) => quantile(rows.map(f), 0.95);
  console.log(`  ${rows.length} states: first results median ${fmt(med((s) => s.ms))} ms, p95 ${fmt(p95((s) => s.ms))} ms `
    + `(the worker's answer arriving: ${fmt(med((s) => s.answered))} / ${fmt(p95((s) => s.answered))} ms; the app's handling and render after it: ${fmt(med((s) => s.rendered), 1)} / ${fmt(p95((s) => s.rendered), 1)} ms); `
    + `with facet counts: ${fmt(med((s) => s.counted))} / ${fmt(p95((s) => s.counted))} ms`);
  const undrawn = rows.filter((s) => !s.drawnSeen).length;
  if (undrawn) console.log(`  ${undrawn} states changed nothing on screen with their first answer (timed at the end of the app's handling)`);
  const canceled = v.queries.reduce((a, d) => a + (d.canceled || 0), 0);
  if (canceled) console.log(`  ${canceled} requests reported canceled by DevTools after their first chunk (bodies used in full; counted at their full size)`);
  const checked = v.queries.reduce((a, d) => a + (d.checked || 0), 0);
  console.log(`  checked against the reference (count and first page): ${checked} states`);
  const s = v.startups;
  const kinds = ['app', 'index.json', 'worker', 'manifest', 'index files'];
  const byKind = (k) => quantile(s.map((x) => x.byKind[k] || 0), 0.5);
  console.log(`  start-up (median of ${s.length}): ${fmt(quantile(s.map((x) => x.ms), 0.5))} ms to the first page; `
    + kinds.map((k) => `${k} ${kb(byKind(k))} KB`).join(', ') + ` (worker + manifest: ${kb(byKind('worker') + byKind('manifest'))} KB)`);
  const m = v.memory.reduce((a, x) => (!a || x.total > a.total ? x : a), null);
  if (m) {
    console.log(`  tab memory at the end of a query, most (${m.q}): ${mb(m.total)} MB = page JS heap ${mb(m.pageHeap)} + page wasm ${mb(m.pageWasm)} + worker JS heap ${mb(m.workerHeap)} + worker wasm ${mb(m.workerWasm)} (${m.workers} worker); median total ${mb(quantile(v.memory.map((x) => x.total), 0.5))} MB`);
  }
  console.log(`  row: | article-viewer archive | ${n.toLocaleString('en')} | ${[fmt(v.median), fmt(v.p95), kb(v.cold), kb(v.following), fmt(v.recall, 2)].join(' | ')} |`);
  if (v.bugs.length) {
    console.log(`  PROBLEMS (${v.bugs.length}):`);
    for (const b of v.bugs) console.log(`    - ${b}`);
  } else console.log('  no problems: every answer arrived, no error shown, every checked count and first page as the reference');
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
  const server = await startServer({ root: AV_DIST });
  server.docs.set('/_bench/blank.html', { body: '<!doctype html><meta charset="utf-8"><title>bench</title>', type: 'text/html; charset=utf-8' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  console.log(`serving ${AV_DIST}; engines: ${ENGINES.join(', ')}`);
  const table = [];
  const details = [];
  try {
    for (const n of SIZES) {
      const file = corpus(n);
      if (!fs.existsSync(file)) await writeCorpus(n, file);
      console.log(`${n.toLocaleString('en')} entries: ${file}`);
      const articles = [...articlesOf(n, SEED)];
      const folded = foldAll(articles);
      const expected = new Map(KOREAN.map((q) => [q.q, underTag(articles, referenceMatch(articles, q.q, folded))]));
      if (TAG) console.log(`  every query under the tag ${TAG}`);
      if (ENGINES.includes('viewer')) {
        const archive = buildArchive(n, file);
        console.log(`  archive: ${archive.summary} (${fmt(archive.ms / 1000, 1)} s, peak ${fmt(archive.peak / 1e6)} MB)`);
        const checks = stateChecks(n, articles, folded, expected);
        const t = Date.now();
        const viewer = await measureViewer(browser, server, n, expected, checks);
        console.log(`  viewer measured in ${fmt((Date.now() - t) / 1000)} s`);
        printViewer(n, viewer);
        details.push({ n, viewer });
        table.push({ n, engine: 'article-viewer archive', r: viewer, build: archive });
      }
      if (ENGINES.includes('pagefind')) {
        const pf = await buildPagefind(n);
        console.log(`  pagefind: ${fmt(pf.ms / 1000, 1)} s`);
        const pagefind = await measurePagefind(browser, server, n, expected);
        table.push({ n, engine: 'Pagefind 1.6', r: pagefind, build: { ms: pf.ms } });
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.log('\n| engine | N | first results median ms | p95 ms | KB cold | KB per following keystroke | Korean recall | build s |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const { n, engine, r, build } of table) {
    const cells = [fmt(r.median), fmt(r.p95), kb(r.cold), kb(r.following), fmt(r.recall, 2)];
    console.log(`| ${engine} | ${n.toLocaleString('en')} | ${cells.join(' | ')} | ${fmt(build.ms / 1000, 1)} |`);
  }
  const bugs = details.reduce((a, d) => a + d.viewer.bugs.length, 0);
  if (bugs) console.log(`\n${bugs} viewer problem(s): see PROBLEMS above.`);
}

if (fileURLToPath(import.meta.url) === path.resolve(process.argv[1] || '')) {
  await main();
}

