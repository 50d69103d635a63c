// An indexed archive in the viewer: `article-viewer-cli index` on a seeded Korean-heavy
// collection, opened as `?src=<archive>/index.json`, must answer every query, facet, order and
// page exactly as the same collection loaded whole (the in-memory search) does, while fetching
// only index files; a failed index file shows a message and a retry that works; without the app
// (from disk), the archive's page says what it needs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, DIST } from './server.mjs';
import { launch, launchBrowser, openPage } from './browser.mjs';
import { writeCorpus } from '../bench/archive-corpus.mjs';
import { CLI } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(DIST, '_e2e-archive');
const N = 400;
const WHOLE = '/viewer.html?src=_e2e-archive/corpus.json';
const ARCHIVE = '/viewer.html?src=_e2e-archive/archive/index.json';

let server, browser;

function cli(...args) {
  const r = spawnSync(CLI, args, { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, `${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout + r.stderr;
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  await writeCorpus(N, path.join(DIR, 'corpus.json'), 20261130);
  // --heavy 40: terms in 40+ of the 400 entries get precomputed answers, the rest are answered
  // from dictionary buckets, so both kinds of index file are exercised.
  cli('index', path.join(DIR, 'corpus.json'), '--out', path.join(DIR, 'archive'), '--heavy', '40');
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

/** What the collection view shows once no question is out. */
async function shown(page) {
  await page.waitForSelector('.av-app[data-ready] .av-collection .av-results[aria-busy="false"]');
  return page.evaluate(() => {
    const all = (s) => [...document.querySelectorAll(s)];
    const chips = (facet) => all(`.av-facet-${facet} .av-chip`).map((b) =>
      `${b.dataset.value}:${b.querySelector('.av-chip-count')?.textContent}:${b.getAttribute('aria-pressed')}`);
    return {
      count: document.querySelector('.av-count')?.textContent,
      titles: all('.av-collection .av-card-title').map((e) => e.textContent),
      marks: all('.av-collection .av-card mark').map((e) => e.textContent),
      tags: chips('tags'),
      authors: chips('authors'),
      more: document.querySelector('.av-more')?.textContent ?? null,
      error: document.querySelector('.av-collection .av-error')?.textContent ?? null,
    };
  });
}

async function open(at) {
  const page = await openPage(browser.context);
  await page.goto(server.url + at);
  return page;
}

/** The same filter state (URL parameters) opened on the archive and on the whole collection. */
async function both(params) {
  const a = await openPage(browser.context);
  a.fetched = [];
  a.on('request', (r) => a.fetched.push(new URL(r.url()).pathname));
  await a.goto(server.url + `${ARCHIVE}&${params}`);
  const w = await open(`${WHOLE}&${params}`);
  const result = { archive: await shown(a), whole: await shown(w), page: a };
  await w.close();
  return result;
}

const indexFiles = () => [...server.hits.keys()].filter((p) => /^\/_e2e-archive\/archive\/v1-[0-9a-f]+\/.+\.bin$/.test(p));

test('Korean queries, opened from the URL, answer as the whole collection does', async () => {
  const queries = ['', 'ㅂㄷㅊ', '반도체', '라클', 'ㅇㄹㅋ', '오랔', '오ㄹㅋ', '데이터센터'.normalize('NFD'), '반도체 수율', 'ＡＩ', 'cloud'];
  for (const q of queries) {
    const { archive, whole, page } = await both(`q=${encodeURIComponent(q)}`);
    assert.equal(archive.error, null, q);
    assert.deepEqual(archive, whole, `q=${q}`);
    if (q) assert.match(archive.count, /^기사 400개 중 \d+개$/, q);
    if (q && archive.titles.length) assert.ok(archive.marks.length > 0, `no <mark> for ${q}`);
    assert.deepEqual(page.problems, [], q);
    // The archive's page never loads the collection: only its index.json and index files.
    assert.ok(!page.fetched.some((p) => p.endsWith('/corpus.json')), page.fetched.join(' '));
    assert.ok(page.fetched.includes('/_e2e-archive/archive/index.json'), page.fetched.join(' '));
    await page.close();
  }
  assert.ok(indexFiles().length > 0, 'no index file fetched');
});

test('typing answers every keystroke, the URL follows, and the worker fetches only index files', async () => {
  const page = await open(ARCHIVE);
  await shown(page);
  const before = new Set(server.hits.keys());
  for (const q of ['ㄷ', '데', '뎅', '데이', '데잍', '데이터']) {
    await page.locator('.av-search').fill(q);
    await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, q);
    const a = await shown(page);
    const w = await open(`${WHOLE}&q=${encodeURIComponent(q)}`);
    assert.deepEqual(a, await shown(w), `typed ${q}`);
    await w.close();
  }
  const fetched = [...server.hits.keys()].filter((p) => !before.has(p) && !p.includes('corpus.json'));
  assert.ok(fetched.length > 0);
  for (const p of fetched) assert.match(p, /^\/_e2e-archive\/archive\/v1-[0-9a-f]+\/.+\.bin$/, `fetched ${p}`);
  // Reloading the address gives the same view: the filter state is in the URL.
  const at = page.url();
  const again = await shown(page);
  await page.goto(at);
  assert.deepEqual(await shown(page), again);
  await page.close();
});

test('facets: counts exact under the query, selecting a tag and an author narrows as in memory', async () => {
  const first = await open(`${ARCHIVE}&q=${encodeURIComponent('반도체')}`);
  const view = await shown(first);
  assert.ok(view.tags.length > 1, 'no tag facet');
  const tag = view.tags[0].split(':')[0];
  await first.locator(`.av-facet-tags .av-chip[data-value="${tag}"]`).click();
  await first.waitForFunction((t) => new URL(location.href).searchParams.getAll('tag').includes(t), tag);
  const withTag = await shown(first);
  assert.ok(withTag.tags.includes(`${tag}:${view.tags[0].split(':')[1]}:true`), withTag.tags.join(' '));
  const params = new URL(first.url()).search.slice(1).replace(/^src=[^&]*&?/, '');
  const w = await open(`${WHOLE}&${params}`);
  assert.deepEqual(withTag, await shown(w));
  await w.close();

  const author = withTag.authors[0].split(':')[0];
  await first.locator(`.av-facet-authors .av-chip[data-value="${author}"]`).click();
  await first.waitForFunction((a) => new URL(location.href).searchParams.getAll('author').includes(a), author);
  const { archive, whole, page } = await both(new URL(first.url()).search.slice(1).replace(/^src=[^&]*&?/, ''));
  assert.deepEqual(await shown(first), whole);
  assert.deepEqual(archive, whole);
  await page.close();
  await first.close();
  // Facets with no query: the whole archive's counts.
  const plain = await both(`tag=${encodeURIComponent(tag)}`);
  assert.deepEqual(plain.archive, plain.whole);
  await plain.page.close();
});

test('sorting by newest and oldest across the whole archive', async () => {
  for (const params of ['sort=newest', 'sort=oldest', `q=${encodeURIComponent('ㅂㄷㅊ')}&sort=oldest`, `q=AI&sort=newest`]) {
    const { archive, whole, page } = await both(params);
    assert.deepEqual(archive, whole, params);
    await page.close();
  }
  // Changing the order in the page asks the archive again.
  const page = await open(`${ARCHIVE}&q=${encodeURIComponent('반도체')}`);
  await shown(page);
  await page.locator('.av-sort select').selectOption('oldest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'oldest');
  const w = await open(`${WHOLE}&q=${encodeURIComponent('반도체')}&sort=oldest`);
  assert.deepEqual(await shown(page), await shown(w));
  await w.close();
  await page.close();
});

test('one tag or one author alone, with a common word or none, in every order: count, chips and cards as in memory', async () => {
  // The archive answers these from the word's pair file (its first page per tag and author).
  const q = encodeURIComponent('ㅂ');
  const cases = [];
  for (const sort of ['relevance', 'newest', 'oldest']) {
    cases.push(`tag=${encodeURIComponent('일본')}&sort=${sort}`, `q=${q}&tag=${encodeURIComponent('일본')}&sort=${sort}`,
      `q=${q}&author=${encodeURIComponent('박시우')}&sort=${sort}`);
  }
  for (const params of cases) {
    const { archive, whole, page } = await both(params);
    assert.equal(archive.error, null, params);
    assert.ok(archive.titles.length > 0, `nothing shown for ${params}`);
    assert.deepEqual(archive, whole, params);
    // Neither the word's set nor the value's: the first page is in the pair file.
    assert.ok(page.fetched.some((p) => /\/(t\/\d+x|v\/x)\.bin$/.test(p)), page.fetched.join(' '));
    assert.ok(!page.fetched.some((p) => /\/(t\/\d+|v\/[ta]\d+)\.bin$/.test(p)), page.fetched.join(' '));
    await page.close();
  }
});

test('results are paged: "more" and scrolling bring the next entries, in order', async () => {
  const page = await open(ARCHIVE);
  let view = await shown(page);
  assert.equal(view.titles.length, 12);
  assert.equal(view.more, `더 보기 (12/${N})`);
  await page.locator('.av-more').evaluate((b) => b.click());
  // At least the next page (scrolling may already be bringing the one after).
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 24);
  // Scrolling to the end asks for the page after.
  await page.locator('.av-more').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 36);
  view = await shown(page);
  const w = await open(WHOLE);
  await w.locator('.av-more').evaluate((b) => b.click());
  await w.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 24);
  await w.locator('.av-more').scrollIntoViewIfNeeded();
  await w.waitForFunction((n) => document.querySelectorAll('.av-collection .av-card').length >= n, view.titles.length);
  const whole = await shown(w);
  assert.deepEqual(view.titles, whole.titles.slice(0, view.titles.length));
  assert.equal(new Set(view.titles).size > 30, true, 'pages repeat entries');
  await w.close();
  await page.close();
});

test('a failed index file shows what failed and where; "try again" answers once it is back', async () => {
  const page = await open(ARCHIVE);
  await shown(page);
  const folder = indexFiles()[0].match(/^.*\/v1-[0-9a-f]+\//)[0];
  // Everything of the index but its manifest (fetched already) fails from here on.
  for (const d of ['a/', 'd/', 's/', 't/', 'f/', 'o/', 'v/']) server.failing.add(folder + d);
  try {
    await page.locator('.av-search').fill('클라우드');
    const alert = page.locator('.av-collection .av-error[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /검색 색인의 일부를 받지 못했습니다\. \(HTTP 503\)/);
    assert.match(await alert.locator('.av-error-where').innerText(), /\/_e2e-archive\/archive\/v1-[0-9a-f]+\/.+\.bin$/);
    assert.equal(await page.locator(".av-collection .av-results").getAttribute("aria-busy"), 'false');
    // The failure keeps what the reader typed, and shows no older answer as this one's.
    assert.equal(await page.locator('.av-search').inputValue(), '클라우드');
    assert.equal(await page.locator('.av-collection .av-card').count(), 0);
    assert.doesNotMatch(await page.locator('.av-count').innerText(), /기사/);
  } finally {
    server.failing.clear();
  }
  await page.locator('.av-retry').click();
  const view = await shown(page);
  assert.equal(view.error, null);
  const w = await open(`${WHOLE}&q=${encodeURIComponent('클라우드')}`);
  assert.deepEqual(view, await shown(w));
  await w.close();
  await page.close();
});

test('published without the app (from disk, no JavaScript), an archive page says what it needs', async () => {
  // The archive's folder published as a site: its index.json is the collection page.
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'av-archive-site-'));
  fs.cpSync(DIST, site, {
    recursive: true,
    filter: (src) => !/^\/(tests|samples|articles|page|_[^/]*)(\/|$)/.test(src.slice(DIST.length)),
  });
  cli('build', '--content', path.join(DIR, 'archive'), '--dist', site, '--site', 'https://archive.example/');
  const plain = await launchBrowser();
  const context = await plain.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(site, 'index.html')).href);
  const note = page.locator('.av-archive-offline');
  assert.match(await note.innerText(), /HTTP/);
  assert.ok(await note.isVisible());
  // The newest entries are there to read.
  assert.equal(await page.locator('.av-collection .av-card').count(), 12);
  await plain.close();

  // Served, the app takes a listing page over with the archive's answer for that page: the
  // same cards, then the archive's "more" beyond what the collection carries.
  const served = await startServer({ root: site });
  try {
    const listing = await openPage(browser.context);
    await listing.goto(`${served.url}/page/2.html`);
    const before = await listing.locator('.av-collection .av-card-title').allInnerTexts();
    assert.equal(before.length, 12);
    await listing.waitForSelector('.av-app[data-ready] .av-collection .av-results[aria-busy="false"]');
    assert.deepEqual(await listing.locator('.av-collection .av-card-title').allInnerTexts(), before);
    assert.equal(await listing.locator('.av-archive-offline').count(), 0);
    assert.equal(await listing.locator('.av-previous').count(), 1);
    assert.match(await listing.locator('.av-more').innerText(), new RegExp(`\\(24/${N}\\)`));
    await listing.locator('.av-more').evaluate((b) => b.click());
    // At least the next page (scrolling may be bringing more), in both views.
    await listing.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 24);
    const w = await open(WHOLE);
    await w.locator('.av-more').evaluate((b) => b.click());
    await w.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 24);
    await w.locator('.av-more').evaluate((b) => b.click());
    await w.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 36);
    const whole = await w.locator('.av-collection .av-card-title').allInnerTexts();
    const shownThere = await listing.locator('.av-collection .av-card-title').allInnerTexts();
    assert.deepEqual(shownThere.slice(0, 24), whole.slice(12, 36));
    assert.deepEqual(listing.problems, []);
    await w.close();
    await listing.close();
  } finally {
    await served.close();
  }
  fs.rmSync(site, { recursive: true, force: true });
});
