// An archive's search under hostile conditions (issue 22): a tampered index (a manifest that
// claims billions of entries, an answer bucket whose count lies, a set file cut short) is refused
// by the engine, and the refusal reaches the page as its error box, with what was typed kept and
// a retry that works once the host serves the good files again; a worker that dies (it throws,
// its wasm is garbage) or hangs (never answers) is noticed, said, and replaced by "try again".
// The host misbehaves from the test server (`server.docs` serves a given body at a path), so
// the worker's own requests are what is tampered with, whatever intercepts a worker's fetches.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, DIST } from './server.mjs';
import { launch, launchBrowser, openPage } from './browser.mjs';
import { writeCorpus } from '../bench/archive-corpus.mjs';
import { CLI } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(DIST, '_e2e-hostile');
const N = 400;
const WHOLE = '/viewer.html?src=_e2e-hostile/corpus.json';
const ARCHIVE = '/viewer.html?src=_e2e-hostile/archive/index.json';
// The worker's loader and wasm, beside the app's files (the page's asset folder is the root).
const LOADER = '/archive-worker_loader.js';
const WASM = '/archive-worker_bg.wasm';
// A test that waits past this has failed (a hung search must fail the test, not hang the suite).
const LIMIT = 120_000;

let server, browser, folder;

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  await writeCorpus(N, path.join(DIR, 'corpus.json'), 20261130);
  // --heavy 40: common terms get answer buckets and set files, both tampered with below.
  const r = spawnSync(CLI, ['index', path.join(DIR, 'corpus.json'), '--out', path.join(DIR, 'archive'), '--heavy', '40'], { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const pointer = JSON.parse(fs.readFileSync(path.join(DIR, 'archive/index.json'), 'utf8')).archive;
  folder = path.posix.dirname(pointer.manifest); // v1-<hash>
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

const url = (file) => `/_e2e-hostile/archive/${folder}/${file}`;
const gz = (file) => fs.readFileSync(path.join(DIR, 'archive', folder, file));
const files = (dir, re) => fs.readdirSync(path.join(DIR, 'archive', folder, dir)).filter((f) => re.test(f)).map((f) => `${dir}/${f}`);

function varint(n) {
  const out = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return Buffer.from(out);
}

/** The value of the varint at `at`, and where the next field starts. */
function readVarint(b, at) {
  let v = 0;
  for (let scale = 1; ; scale *= 128) {
    const x = b[at++];
    v += (x & 0x7f) * scale;
    if (x < 0x80) return [v, at];
  }
}

/** `file` (gzip) with the varint at `at` of its inflated bytes replaced by `f(value)`. */
function lie(file, f, at = 0) {
  const bytes = zlib.gunzipSync(gz(file));
  const [value, next] = readVarint(bytes, at);
  return zlib.gzipSync(Buffer.concat([bytes.subarray(0, at), varint(f(value)), bytes.subarray(next)]));
}

/** Serves `bodies` (path -> bytes) instead of the real files until `restore()`. */
function tamper(bodies) {
  for (const [p, body] of bodies) server.docs.set(p, { body, type: 'application/octet-stream' });
  return () => { for (const [p] of bodies) server.docs.delete(p); };
}

/** What the collection view shows once no question is out. */
async function shown(page) {
  await page.waitForSelector('.av-app[data-ready] .av-collection .av-results[aria-busy="false"]');
  return page.evaluate(() => {
    const all = (s) => [...document.querySelectorAll(s)];
    return {
      count: document.querySelector('.av-count')?.textContent,
      titles: all('.av-collection .av-card-title').map((e) => e.textContent),
      tags: all('.av-facet-tags .av-chip').map((b) => `${b.dataset.value}:${b.querySelector('.av-chip-count')?.textContent}`),
      error: document.querySelector('.av-collection .av-error')?.textContent ?? null,
    };
  });
}

/** The error box, once it is there: its message and where it says the failure was. */
async function failure(page, t) {
  const alert = page.locator('.av-collection .av-error[role="alert"]');
  await alert.waitFor();
  // Not searching any more: no "검색 중…" left, the results not busy.
  assert.equal(await page.locator('.av-collection .av-results').getAttribute('aria-busy'), 'false');
  assert.equal(await page.locator('.av-collection .av-loading').count(), 0);
  assert.doesNotMatch(await page.locator('.av-collection').innerText(), /검색 중…/);
  assert.equal(await alert.locator('.av-retry').innerText(), '다시 시도');
  const f = { message: await alert.locator('.av-error-message').innerText(), where: await alert.locator('.av-error-where').innerText() };
  t?.diagnostic(`${f.message} at ${f.where}`);
  return f;
}

/** `q` typed into the search box while the view shows a failure: the text stays. */
async function type(page, q) {
  await page.locator('.av-search').fill(q);
  await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, q);
  assert.equal(await page.locator('.av-search').inputValue(), q);
}

/** "Try again", then the view must be the whole collection's answer to the same query. */
async function retried(page, q) {
  await page.locator('.av-retry').click();
  const view = await shown(page);
  assert.equal(view.error, null);
  assert.equal(await page.locator('.av-search').inputValue(), q);
  const whole = await openPage(browser.context);
  await whole.goto(`${server.url}${WHOLE}&q=${encodeURIComponent(q)}`);
  assert.deepEqual(view, await shown(whole), `q=${q}`);
  assert.ok(view.titles.length > 0, `no result for ${q}`);
  await whole.close();
}

/** Resolves once `ok()` holds, polling; fails after `ms`. */
async function until(ok, what, ms = 30_000) {
  for (const end = Date.now() + ms; !ok();) {
    assert.ok(Date.now() < end, `${what}: not within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const pageErrors = (page) => page.problems.filter((p) => p.startsWith('pageerror'));

test('a manifest claiming billions of entries is refused: the page says so, keeps the query, and retries', { timeout: LIMIT }, async (t) => {
  // The entry count follows the magic `AVA1` and the version varint.
  const manifest = zlib.gunzipSync(gz('manifest.bin'));
  assert.equal(manifest.subarray(0, 4).toString(), 'AVA1');
  const restore = tamper([[url('manifest.bin'), lie('manifest.bin', () => 4_000_000_000, readVarint(manifest, 4)[1])]]);
  const page = await openPage(browser.context);
  try {
    await page.goto(server.url + ARCHIVE);
    let f = await failure(page, t);
    assert.match(f.message, /^검색 색인의 일부를 받지 못했습니다\. \(.*manifest\.bin.*4000000000.*\)$/s);
    assert.ok(f.where.endsWith(url('manifest.bin')), f.where);
    // Typing on while it fails keeps the text and the failure (nothing half-answered shows).
    await type(page, '반도체');
    f = await failure(page, t);
    assert.match(f.message, /4000000000/);
  } finally {
    restore();
  }
  await retried(page, '반도체');
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});

test('an answer bucket whose count lies, and a set file cut short, are refused mid-query; retry reads the good files', { timeout: LIMIT }, async (t) => {
  const page = await openPage(browser.context);
  await page.goto(server.url + ARCHIVE);
  await shown(page);
  // Every answer bucket claims a million more answers than it holds (its first varint).
  let restore = tamper(files('a', /\.bin$/).map((f) => [url(f), lie(f, (n) => n + 1_000_000)]));
  try {
    await type(page, '반도체');
    const f = await failure(page, t);
    // The engine names the bucket it refused and what it claims; the box shows where it is.
    assert.match(f.message, /^검색 색인의 일부를 받지 못했습니다\. \(a\/\d+\.bin: .*1000\d{3}.*\)$/s);
    assert.match(f.where, new RegExp(`/_e2e-hostile/archive/${folder}/a/\\d+\\.bin$`));
    assert.equal(await page.locator('.av-collection .av-card').count(), 0);
  } finally {
    restore();
  }
  // The bucket was refused after the engine kept its bytes: the retry must fetch it again.
  await retried(page, '반도체');

  // Common terms' set files, cut in half: their counts and gaps run past the end.
  const sets = files('t', /^\d+\.bin$/);
  assert.ok(sets.length > 0, 'no set file in the index');
  restore = tamper(sets.map((f) => {
    const bytes = zlib.gunzipSync(gz(f));
    return [url(f), zlib.gzipSync(bytes.subarray(0, bytes.length >> 1))];
  }));
  const q = '반도체 수율';
  try {
    await type(page, q);
    const f = await failure(page, t);
    assert.match(f.message, /^검색 색인의 일부를 받지 못했습니다\. \(t\/\d+\.bin: .+\)$/s);
    assert.match(f.where, new RegExp(`/_e2e-hostile/archive/${folder}/t/\\d+\\.bin$`));
  } finally {
    restore();
  }
  await retried(page, q);
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});

test('a worker that throws on its first message is noticed; retry starts a new one that answers', { timeout: LIMIT }, async (t) => {
  const hits = server.hits.get(LOADER) || 0;
  server.docs.set(LOADER, {
    body: "self.onmessage = () => { throw new Error('hostile test: the worker fell over'); };",
    type: 'text/javascript',
  });
  const page = await openPage(browser.context);
  try {
    await page.goto(server.url + ARCHIVE);
    const f = await failure(page, t);
    assert.match(f.message, /^검색 색인의 일부를 받지 못했습니다\. \(worker stopped: .*the worker fell over\)$/);
    assert.ok(f.where.endsWith(LOADER), f.where);
    assert.ok(server.hits.get(LOADER) > hits, 'the hostile loader was not fetched');
    await type(page, '클라우드');
  } finally {
    server.docs.delete(LOADER);
  }
  await retried(page, '클라우드');
  // The page handled the worker's error: it is not reported as an error of the page's own.
  assert.deepEqual(pageErrors(page), []);
  await page.close();
});

test('a worker whose wasm is garbage is noticed; retry with the real wasm answers', { timeout: LIMIT }, async (t) => {
  server.docs.set(WASM, { body: Buffer.from('this is not webassembly'), type: 'application/wasm' });
  const page = await openPage(browser.context);
  try {
    await page.goto(server.url + ARCHIVE);
    await type(page, 'ㅂㄷㅊ');
    const f = await failure(page, t);
    assert.match(f.message, /\(worker stopped: .+\)$/);
    assert.ok(f.where.endsWith(LOADER), f.where);
  } finally {
    server.docs.delete(WASM);
  }
  await retried(page, 'ㅂㄷㅊ');
  await page.close();
});

test('a worker that never answers is given up after a minute of silence; retry answers', { timeout: LIMIT }, async (t) => {
  // A clock of the test's own (it is the context's): a minute passes at once, not in real time.
  const plain = await launchBrowser();
  try {
    const context = await plain.newContext({ viewport: { width: 1280, height: 900 } });
    await context.clock.install();
    const page = await openPage(context);
    const hits = server.hits.get(LOADER) || 0;
    server.docs.set(LOADER, { body: 'self.onmessage = () => {};', type: 'text/javascript' });
    try {
      await page.goto(server.url + `${ARCHIVE}&q=${encodeURIComponent('반도체')}`);
      // The question is out (the worker is started with it) and the view is waiting.
      await page.waitForSelector('.av-app[data-ready] .av-collection .av-results[aria-busy="true"]');
      await until(() => (server.hits.get(LOADER) || 0) > hits, 'the silent loader fetched');
      await page.clock.fastForward('00:59');
      assert.equal(await page.locator('.av-collection .av-error').count(), 0, 'given up before a minute');
      await page.clock.fastForward('00:02');
      const f = await failure(page, t);
      assert.match(f.message, /\(worker: no answer in 60 s\)$/);
      assert.ok(f.where.endsWith(LOADER), f.where);
    } finally {
      server.docs.delete(LOADER);
    }
    await page.locator('.av-retry').click();
    const view = await shown(page);
    assert.equal(view.error, null);
    assert.match(view.count, new RegExp(`^기사 ${N}개 중 \\d+개$`));
    assert.ok(view.titles.length > 0);
  } finally {
    // Closed whatever failed: an open browser would keep the test process from ending.
    await plain.close();
  }
});
