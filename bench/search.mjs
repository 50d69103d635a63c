// Benchmark: collection search while typing Korean, in the release build, beside three JS
// search libraries (MiniSearch, FlexSearch, Fuse.js) on the same data and queries.
// Usage: node bench/search.mjs [sizes...]      (after `trunk build --release`; default 10000 100000)
//
// Data and queries come from bench/collections.mjs (seeded generator + a naive reference matcher
// that defines what a correct Korean-aware search returns).
//
// article-viewer: the query is typed into `input.av-search` the way a Korean IME does it
// (compositionstart, one `input` event with isComposing per composed state — ㅇ, 오, 올, 오라, 오랔,
// 오라클 — then compositionend and a final non-composing `input`); Latin text is typed one plain
// `input` per character. Latency of one event = from just before dispatchEvent to the LAST DOM
// mutation it caused, as seen by a MutationObserver on <body> (whose callback runs right after
// Yew's render, which Yew schedules as a microtask). After each event the page waits until the DOM
// has been quiet for QUIET_MS, so any deferred rendering is included; an event that changes nothing
// in the DOM counts as the time its handler took. The count text (.av-count) is then read and, for
// every query, checked against the reference; at small sizes every intermediate state is checked.
// Median/p95 are over the events that changed the box's value.
//
// Libraries: on a blank page, each indexes the same searched fields (title, summary, pick items,
// tags, author names) and runs each final query; time = one search() call, no rendering.
// Korean recall = |found ∩ expected| / |expected|, averaged over the Korean queries. The viewer's
// recall comes from its count (the page shows only 24 cards): 1 when the count equals the
// reference and every shown card is expected, else min(got, expected) / expected.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';
import { makeCollection, QUERIES, referenceMatch, foldAll, decompose, composeKeys, syllableKeys } from './collections.mjs';

const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!SIZES.length) SIZES.push(10_000, 100_000);
const SEED = 20250912;
const QUIET_MS = 100;
const FUSE_LIMIT_MS = 10_000;
const here = path.dirname(fileURLToPath(import.meta.url));
const NODE_MODULES = path.resolve(here, '..', 'node_modules');
const LIBS = {
  '/_bench/minisearch.mjs': 'minisearch/dist/es/index.js',
  '/_bench/flexsearch.mjs': 'flexsearch/dist/flexsearch.bundle.module.min.mjs',
  '/_bench/fuse.mjs': 'fuse.js/dist/fuse.mjs',
};

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => { const s = sorted(xs); return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN; };
const median = (xs) => quantile(xs, 0.5);
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');

// ---------------------------------------------------------------------------------------------
// A 2-set (두벌식) IME: the composed string after every key. `word` has no spaces.
/** Every state a 2-set IME shows while typing `word` (NFC), ending with `word`. */
function imeStates(word) {
  const chars = [...word.normalize('NFC')];
  const run = (perChar) => {
    const states = [];
    let done = '';
    for (let i = 0; i < chars.length;) {
      if (!decompose(chars[i])) { done += chars[i++]; states.push(done); continue; }
      let j = i + 1;
      while (!perChar && j < chars.length && decompose(chars[j])) j++;
      const s = composeKeys(done, chars.slice(i, j).flatMap(syllableKeys));
      states.push(...s);
      done = s[s.length - 1];
      i = j;
    }
    return states;
  };
  const natural = run(false);
  return natural[natural.length - 1] === chars.join('') ? natural : run(true);
}

const isHangul = (s) => /[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]/.test(s);

/** The DOM events that typing query q produces, from an empty box. */
function typingEvents(q) {
  const nfd = q !== q.normalize('NFC');
  const events = [];
  let value = '';
  q.normalize('NFC').split(' ').forEach((word, wi) => {
    if (wi > 0) { value += ' '; events.push({ type: 'input', value, isComposing: false, inputType: 'insertText', data: ' ' }); }
    if (!isHangul(word)) {
      for (const ch of word) { value += ch; events.push({ type: 'input', value, isComposing: false, inputType: 'insertText', data: ch }); }
      return;
    }
    const base = value;
    const shown = (s) => (nfd ? s.normalize('NFD') : s);
    events.push({ type: 'compositionstart', data: '' });
    for (const s of imeStates(word)) {
      value = base + shown(s);
      events.push({ type: 'input', value, isComposing: true, inputType: 'insertCompositionText', data: [...shown(s)].pop() });
    }
    events.push({ type: 'compositionend', data: shown(word) });
    events.push({ type: 'input', value, isComposing: false, inputType: 'insertText', data: shown(word) });
  });
  return events;
}

// ---------------------------------------------------------------------------------------------
// In the viewer page.
const PAGE_HELPERS = `
  window.__bench = {
    last: 0,
    init() {
      new MutationObserver(() => { this.last = performance.now(); })
        .observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    async settle(since, quiet) {
      for (;;) {
        await new Promise((r) => setTimeout(r, 5));
        const now = performance.now();
        if (now - Math.max(since, this.last) >= quiet || now - since > 30000) return;
      }
    },
    count() {
      const t = document.querySelector('.av-count')?.textContent || '';
      const nums = (t.match(/\\d[\\d,]*/g) || []).map((x) => +x.replace(/,/g, ''));
      return { text: t, n: / of /.test(t) ? nums[0] : nums.length > 1 ? nums[1] : nums[0] };
    },
    shownIds() {
      return [...document.querySelectorAll('.av-collection .av-card a.av-card-link')]
        .map((a) => decodeURIComponent(a.getAttribute('href') || '').match(/a(\\d{6})\\.json/)).filter(Boolean).map((m) => +m[1]);
    },
    async type(events, quiet) {
      const input = document.querySelector('input.av-search');
      input.focus();
      const out = [];
      let prev = input.value;
      for (const e of events) {
        if (e.type !== 'input') { input.dispatchEvent(new CompositionEvent(e.type, { bubbles: true, data: e.data })); continue; }
        input.value = e.value;
        this.last = 0;
        const t0 = performance.now();
        input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, isComposing: e.isComposing, inputType: e.inputType, data: e.data }));
        const t1 = performance.now();
        let done = 0; // queued behind the microtask in which Yew renders, so it runs when Yew is done
        queueMicrotask(() => { done = performance.now(); });
        await this.settle(t1, quiet);
        out.push({ ms: Math.max(done, this.last, t1) - t0, changed: e.value !== prev, value: e.value, count: this.count().n });
        prev = e.value;
      }
      return { steps: out, shown: this.shownIds() };
    },
    async clear(quiet) {
      const input = document.querySelector('input.av-search');
      input.value = '';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'deleteContentBackward' }));
      await this.settle(performance.now(), quiet);
    },
  };`;

async function benchViewer(browser, server, n) {
  let lean = false, collection, loadMs, page, context, refused = null;
  for (;;) {
    collection = makeCollection(n, SEED, { lean });
    const body = JSON.stringify(collection);
    const doc = `/_bench/collection-${n}${lean ? '-lean' : ''}.json`;
    server.docs.set(doc, { body });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    const t0 = Date.now();
    await page.goto(`${server.url}/?src=${doc.slice(1)}`);
    await page.waitForSelector('.av-collection .av-count, .av-error', { timeout: 180_000 });
    loadMs = Date.now() - t0;
    const error = await page.evaluate(() => document.querySelector('.av-error-message')?.textContent);
    if (!error) break;
    await context.close();
    if (lean) throw new Error(`the viewer refused even the lean collection: ${error}`);
    refused = `${(Buffer.byteLength(body) / 2 ** 20).toFixed(1)} MB realistic collection refused: "${error}"`;
    console.log(`  N=${n}: ${refused} -> using the lean profile (id, short title, 1 tag) for every engine at this N`);
    lean = true;
  }
  const articles = collection.articles;
  const folded = foldAll(articles);
  const expected = new Map(QUERIES.map(({ q }) => [q, referenceMatch(articles, q, folded)]));
  const checkSteps = n <= 20_000; // reference for every intermediate state (slow at 100k)

  await page.evaluate(PAGE_HELPERS);
  await page.evaluate(() => window.__bench.init());
  const passes = n <= 20_000 ? 3 : 1;
  const times = [], mismatches = new Map(), recall = new Map();
  await page.evaluate(([ev, q]) => window.__bench.type(ev, q), [typingEvents('클라우드 보안'), QUIET_MS]); // warm-up
  await page.evaluate((q) => window.__bench.clear(q), QUIET_MS);
  for (let pass = 0; pass < passes; pass++) {
    for (const { q, korean } of QUERIES) {
      const { steps, shown } = await page.evaluate(([ev, qm]) => window.__bench.type(ev, qm), [typingEvents(q), QUIET_MS]);
      for (const s of steps) if (s.changed) times.push(s.ms);
      if (pass > 0) { await page.evaluate((qm) => window.__bench.clear(qm), QUIET_MS); continue; }
      const want = expected.get(q);
      const got = steps[steps.length - 1].count;
      const wantSet = new Set(want);
      const strays = shown.filter((i) => !wantSet.has(i));
      if (got !== want.length || strays.length) mismatches.set(q, { query: q, expected: want.length, got, strays: strays.length });
      if (checkSteps) {
        for (const s of steps.slice(0, -1)) {
          const w = referenceMatch(articles, s.value, folded).length;
          if (w !== s.count && !mismatches.has(s.value)) mismatches.set(s.value, { query: s.value, expected: w, got: s.count, intermediate: true });
        }
      }
      if (korean) recall.set(q, got === want.length && !strays.length ? 1 : Math.min(got ?? 0, want.length) / (want.length || 1));
      await page.evaluate((qm) => window.__bench.clear(qm), QUIET_MS);
    }
  }
  await context.close();
  return { collection, lean, refused, loadMs, expected, times, mismatches: [...mismatches.values()], recall: mean([...recall.values()]) };
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);

// ---------------------------------------------------------------------------------------------
// The libraries, on a blank page of the same origin.
async function benchLibraries(browser, server, n, collection, expected) {
  const doc = `/_bench/libs-${n}.json`;
  server.docs.set(doc, { body: JSON.stringify(collection) });
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
  await page.goto(`${server.url}/_bench/blank.html`);
  const indexMs = await page.evaluate(async (src) => {
    const [{ default: MiniSearch }, FlexSearch, { default: Fuse }] = await Promise.all(
      ['/_bench/minisearch.mjs', '/_bench/flexsearch.mjs', '/_bench/fuse.mjs'].map((u) => import(u)));
    const c = await (await fetch(src)).json();
    const docs = c.articles.map((a, id) => ({
      id, title: a.title, summary: a.summary || '', picks: (a.editors_pick?.items || []).join('\n'),
      tags: (a.tags || []).join('\n'), authors: (a.authors || []).map((x) => x.name).join('\n'),
    }));
    const fields = ['title', 'summary', 'picks', 'tags', 'authors'];
    const ms = {};
    let t = performance.now();
    // Search-as-you-type setup from MiniSearch's docs: prefix + fuzzy; AND, as the viewer does.
    const mini = new MiniSearch({ fields, searchOptions: { prefix: true, fuzzy: 0.2, combineWith: 'AND' } });
    mini.addAll(docs);
    ms.MiniSearch = performance.now() - t;
    t = performance.now();
    // "full" tokenization: every substring of a word, the closest FlexSearch gets to mid-word hits.
    const flex = new FlexSearch.Document({ tokenize: 'full', document: { id: 'id', index: fields } });
    for (const d of docs) flex.add(d);
    ms.FlexSearch = performance.now() - t;
    t = performance.now();
    const fuse = new Fuse(docs, { keys: fields }); // defaults: threshold 0.6, location 0, distance 100
    ms['Fuse.js'] = performance.now() - t;
    const n = docs.length;
    window.__libs = {
      MiniSearch: (q) => mini.search(q).map((r) => r.id),
      FlexSearch: (q) => [...new Set(flex.search(q, { limit: n }).flatMap((r) => r.result))],
      'Fuse.js': (q) => fuse.search(q).map((r) => r.refIndex),
    };
    return ms;
  }, doc);

  const rows = {};
  for (const lib of ['MiniSearch', 'FlexSearch', 'Fuse.js']) {
    const reps = lib === 'Fuse.js' ? (n > 20_000 ? 1 : 2) : n > 20_000 ? 3 : 5;
    const times = [], recalls = [];
    let skipped = null;
    for (const { q, korean } of QUERIES) {
      const r = await page.evaluate(([lib, q, want, reps]) => {
        const search = window.__libs[lib];
        const ms = [];
        let found;
        for (let i = 0; i < reps; i++) {
          const t = performance.now();
          found = search(q);
          ms.push(performance.now() - t);
        }
        const set = new Set(found);
        return { ms, hits: want ? want.filter((i) => set.has(i)).length : 0, count: found.length };
      }, [lib, q, korean ? expected.get(q) : null, reps]);
      if (lib === 'Fuse.js' && n >= 100_000 && r.ms[0] > FUSE_LIMIT_MS) {
        skipped = `one query took ${(r.ms[0] / 1000).toFixed(1)} s (> ${FUSE_LIMIT_MS / 1000} s): skipped at N=${n}`;
        break;
      }
      times.push(...r.ms);
      if (korean) recalls.push(expected.get(q).length ? r.hits / expected.get(q).length : 1);
    }
    rows[lib] = { times, recall: mean(recalls), skipped, indexMs: indexMs[lib] };
  }
  await context.close();
  return rows;
}

// ---------------------------------------------------------------------------------------------
if (process.env.BENCH_SHOW_TYPING) { // print what gets typed, then stop
  for (const { q } of QUERIES) console.log(JSON.stringify(q), typingEvents(q).filter((e) => e.type === 'input').map((e) => e.value).join(' | '));
  process.exit(0);
}
// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
const server = await startServer({ headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } });
for (const [route, file] of Object.entries(LIBS)) {
  server.docs.set(route, { body: fs.readFileSync(path.join(NODE_MODULES, file)), type: 'text/javascript' });
}
server.docs.set('/_bench/blank.html', { body: '<!doctype html><meta charset="utf-8"><title>libraries</title>', type: 'text/html; charset=utf-8' });
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const table = [], notes = [], verdicts = [];
try {
  for (const n of SIZES) {
    const started = Date.now();
    const v = await benchViewer(browser, server, n);
    const label = `${n.toLocaleString('en')}${v.lean ? ' (lean)' : ''}`;
    const keystrokes = v.times.length;
    table.push(['article-viewer (per keystroke incl. render)', label, median(v.times), quantile(v.times, 0.95), v.recall]);
    notes.push(`N=${label}: viewer load+index ${v.loadMs} ms; ${keystrokes} keystrokes timed` +
      (v.refused ? `; ${v.refused}` : '') + (v.mismatches.length ? '' : '; every count matched the reference'));
    for (const m of v.mismatches) {
      notes.push(`  count mismatch at N=${label}${m.intermediate ? ' (while typing)' : ''}: query ${JSON.stringify(m.query)}` +
        `${m.query !== m.query.normalize('NFC') ? ' (NFD)' : ''} expected ${m.expected}, viewer ${m.got}` +
        (m.strays ? `, ${m.strays} shown cards not expected` : ''));
    }
    const libs = await benchLibraries(browser, server, n, v.collection, v.expected);
    for (const [lib, r] of Object.entries(libs)) {
      if (r.skipped) { table.push([lib, label, NaN, NaN, NaN]); notes.push(`N=${label}: Fuse.js ${r.skipped}`); continue; }
      table.push([lib, label, median(r.times), quantile(r.times, 0.95), r.recall]);
    }
    notes.push(`N=${label}: index build ms: ${Object.entries(libs).map(([k, r]) => `${k} ${fmt(r.indexMs, 0)}`).join(', ')}; ` +
      `expected hits per query: ${QUERIES.map(({ q, name }) => `${name.split(' ')[0]}=${v.expected.get(q).length}`).join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const target = n <= 10_000 ? 8 : n >= 100_000 ? 50 : null;
    if (target !== null) verdicts.push(`${label}: median ${fmt(median(v.times))} ms ${median(v.times) < target ? 'PASS' : 'FAIL'}` +
      `, recall ${fmt(v.recall, 2)} ${v.recall === 1 ? 'PASS' : 'FAIL'}`);
  }
} finally {
  await browser.close();
  await server.close();
}

console.log('');
console.log(`Search while typing, headless Chromium, seed ${SEED}; queries: ${QUERIES.map((q) => q.name).join(', ')}`);
console.log('| engine | N | median ms | p95 ms | Korean recall |');
console.log('|---|---:|---:|---:|---:|');
for (const [name, n, med, p95, rec] of table) {
  console.log(`| ${name} | ${n} | ${Number.isFinite(med) ? fmt(med, 2) : 'skipped'} | ${fmt(p95, 2)} | ${fmt(rec, 2)} |`);
}
console.log('');
for (const line of notes) console.log(line);
console.log(`Targets: median keystroke < 8 ms at 10k, < 50 ms at 100k, full Korean recall — ${verdicts.join('; ') || 'no target size run'}`);
