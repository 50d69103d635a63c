// An archive's cards are exactly the reference's, in the reference's order, whatever order the
// answers come in (issue 23, part 4). A seeded collection whose entries share dates (exact ties),
// tags and a common word is indexed with `article-viewer-cli index`; the test computes the
// reference itself (a brute-force filter and sort over the corpus, with the engine's documented
// tie-break: newest or oldest by date, undated last, equal dates in the publisher's order) and
// checks the visible cards' entries and the count after every step: typing, newest <-> oldest,
// a tag, the next page. Meanwhile answers are delayed and reordered on purpose, at both ends:
// the host holds the index files of one request back (the next request's answer arrives
// first) and delays every other file by a seeded random time, and the page's worker hands its
// messages over late, each by its own seeded delay or all held and then given in reverse.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startServer, viewerPage, DIST } from './server.mjs';
import { launch, openPage } from './browser.mjs';
import { CLI } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIR = path.join(DIST, '_e2e-order');
const N = 2400;
const WORD = '클라우드';
const TAG = '보안';
const AUTHOR = '한가람';
const PAGE = 12;
const VIEWER = '/_order.html';
const ARCHIVE = `${VIEWER}?src=_e2e-order/archive/index.json`;
const WHOLE = `${VIEWER}?src=_e2e-order/corpus.json`;
const LIMIT = 180_000;

/** xorshift32: the same seed, the same sequence. */
function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * The fixture: `n` entries on six days at three times (so many share a date to the minute), a
 * few undated; tags and authors from short lists; the word in about a third of them, in the
 * title, the summary, inside a longer word, or only as a tag. No other word starts as the word
 * does (클라우…), so a plain substring is exactly what the archive matches for it.
 */
function corpus(n, seed) {
  const r = random(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const who = ['정부', '통신사', '은행', '병원', '학교', '게임사', '쇼핑몰', '연구소', '카드사', '항공사'];
  const what = ['보안 점검', '요금 인상', '서버 이전', '데이터 유출', '인력 채용', '장애 복구', '새 서비스', '예산 편성'];
  const tags = [TAG, '정책', '금융', '게임', '모바일', '교육', WORD];
  const authors = [AUTHOR, '김하늘', '이바다', '박너울', '최미르'];
  const days = ['2026-11-14', '2026-11-15', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20'];
  const times = ['09:00', '09:00', '14:30'];
  const articles = [];
  for (let i = 0; i < n; i++) {
    let title = `${pick(who)} ${pick(what)} ${i + 1}호`;
    let summary = `${pick(who)}${r() < 0.5 ? '가' : '는'} ${pick(what)} 계획을 밝혔다.`;
    const place = r();
    if (place < 0.15) title = `${pick(who)} ${WORD} ${pick(what)} ${i + 1}호`;
    else if (place < 0.25) summary = `${pick(who)}는 ${WORD}로 옮긴다고 밝혔다.`;
    else if (place < 0.3) summary = `멀티${WORD} 도입을 검토한다.`;
    const a = {
      id: `o${String(i).padStart(5, '0')}`,
      title,
      summary,
      tags: [...new Set([pick(tags), ...(r() < 0.4 ? [pick(tags)] : [])])],
      authors: [...new Set([pick(authors), ...(r() < 0.2 ? [pick(authors)] : [])])].map((name) => ({ name })),
    };
    if (r() > 0.03) a.published = `${pick(days)}T${pick(times)}:00+09:00`;
    articles.push(a);
  }
  return { title: '정렬 시험 기사 모음', language: 'ko', articles };
}

const ARTICLES = corpus(N, 20261208).articles;
const BY_TITLE = new Map(ARTICLES.map((a) => [a.title, a.id]));
assert.equal(BY_TITLE.size, N, 'titles are unique');

/** The reference: the entries matching, ordered as the engine documents (undated last, ties in publisher order). */
function reference({ q = '', tag = null, author = null, sort = 'newest' }) {
  const fields = (a) => [a.title, a.summary, ...a.tags, ...a.authors.map((x) => x.name)];
  const hits = ARTICLES.map((a, i) => ({ a, i, t: a.published ? Date.parse(a.published) : null }))
    .filter(({ a }) => (!tag || a.tags.includes(tag)) && (!author || a.authors.some((x) => x.name === author)))
    .filter(({ a }) => !q || fields(a).some((f) => f.includes(q)));
  const dir = sort === 'oldest' ? 1 : -1;
  hits.sort((x, y) => (x.t === null) - (y.t === null) || (x.t !== null && y.t !== null && dir * (x.t - y.t)) || x.i - y.i);
  return hits.map((h) => h.a.id);
}

const countText = (n) => (n === N ? `기사 ${N}개` : `기사 ${N}개 중 ${n}개`);

/**
 * Runs in the page before the app: the archive's worker hands each message to the page late,
 * by a seeded random delay, or (`hold`) keeps them all until `release()` gives them in reverse.
 * Counts what was asked and what is still to be handed over.
 */
function disorder(seed) {
  if (typeof window === 'undefined' || !window.Worker) return;
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  const ctl = { hold: false, held: [], waiting: 0, asked: 0, maxDelay: 80 };
  ctl.release = () => {
    const held = ctl.held.splice(0).reverse();
    for (const give of held) give();
    return held.length;
  };
  window.__disorder = ctl;
  const Real = window.Worker;
  window.Worker = class extends Real {
    postMessage(m, ...rest) {
      ctl.asked++;
      return super.postMessage(m, ...rest);
    }
    addEventListener(type, f, options) {
      if (type !== 'message') return super.addEventListener(type, f, options);
      return super.addEventListener(type, (e) => {
        ctl.waiting++;
        const give = () => { ctl.waiting--; f.call(this, e); };
        if (ctl.hold) ctl.held.push(give);
        else setTimeout(give, Math.floor(rand() * ctl.maxDelay));
      }, options);
    }
  };
}

// The host: index files are delayed by a seeded random time; while `gate` is an array, they are
// held in it until the test lets them go.
const hostRandom = random(77);
let gate = null;
const isIndex = (p) => p.startsWith('/_e2e-order/archive/v1-') && p.endsWith('.bin');
function hold(p) {
  if (!isIndex(p)) return null;
  if (gate) return new Promise((go) => gate.push(go));
  return new Promise((go) => setTimeout(go, Math.floor(hostRandom() * 60)));
}

let server, browser;

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  fs.writeFileSync(path.join(DIR, 'corpus.json'), JSON.stringify(corpus(N, 20261208)));
  // --heavy 60: the word, the tags and the authors get precomputed answers (their first pages
  // end before the results do, so paging goes past them); rarer terms come from the dictionary.
  const r = spawnSync(CLI, ['index', path.join(DIR, 'corpus.json'), '--out', path.join(DIR, 'archive'), '--heavy', '60'],
    { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  server = await startServer({ hold });
  viewerPage(server, VIEWER);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(DIR, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `ok()` holds, polling; fails after `ms`. */
async function until(ok, what, ms = 30_000) {
  for (const end = Date.now() + ms; !(await ok());) {
    assert.ok(Date.now() < end, `${what}: not within ${ms / 1000} s`);
    await sleep(20);
  }
}

async function open(at, seed = 1) {
  const page = await openPage(browser.context);
  await page.addInitScript(disorder, seed);
  await page.goto(server.url + at);
  return page;
}

/**
 * What the view shows once it is settled: nothing held or on its way (host and worker), and
 * the results not busy, twice in a row a moment apart (a late answer would change them).
 */
async function settled(page) {
  const quiet = () => page.evaluate(() => {
    const d = window.__disorder;
    const busy = document.querySelector('.av-app[data-ready] .av-collection .av-results')?.getAttribute('aria-busy');
    return busy === 'false' && (!d || (d.waiting === 0 && d.held.length === 0));
  });
  await until(async () => !gate?.length && (await quiet()), 'the view settles');
  await sleep(150);
  await until(quiet, 'the view settles again');
  return page.evaluate(() => {
    const cards = [...document.querySelectorAll('.av-collection .av-cards > li')];
    return {
      count: document.querySelector('.av-count')?.textContent,
      titles: cards.map((li) => li.querySelector('.av-card-title')?.textContent),
      more: document.querySelector('.av-more')?.textContent ?? null,
      error: document.querySelector('.av-collection .av-error')?.textContent ?? null,
      // Elements that showed another entry before this step (set by `mark`).
      moved: cards.filter((li) => li.__entry && li.__entry !== li.querySelector('.av-card-title')?.textContent).length,
    };
  });
}

/** Notes on each card's element which entry it shows: an element reused for another entry is a position-keyed list. */
const mark = (page) => page.evaluate(() => {
  for (const li of document.querySelectorAll('.av-collection .av-cards > li')) li.__entry = li.querySelector('.av-card-title')?.textContent;
});

/** The view must show `want` (a reference) from its start: at least `pages` pages of it, in order, and its count. */
function check(view, want, step, pages = 1) {
  assert.equal(view.error, null, step);
  const ids = view.titles.map((t) => BY_TITLE.get(t) ?? `unknown: ${t}`);
  assert.equal(view.count, countText(want.length), `${step}: count`);
  assert.ok(ids.length >= Math.min(want.length, pages * PAGE), `${step}: ${ids.length} cards`);
  assert.deepEqual(ids, want.slice(0, ids.length), `${step}: cards and their order`);
  assert.equal(view.moved, 0, `${step}: a card's element now shows another entry`);
  if (ids.length < want.length) assert.equal(view.more, `더 보기 (${ids.length}/${want.length})`, step);
}

async function typed(page, q) {
  await page.locator('.av-search').fill(q);
  await page.waitForFunction((q) => new URL(location.href).searchParams.get('q') === q, q);
}

test('the fixture has what the test needs: ties, the word under the tag beyond the precomputed pages', () => {
  const both = reference({ q: WORD, tag: TAG });
  assert.ok(both.length > 4 * PAGE, `${both.length} entries with the word and the tag`);
  const dates = ARTICLES.filter((a) => a.published).map((a) => a.published);
  assert.ok(new Set(dates).size < dates.length / 50, 'dates are shared');
  assert.ok(ARTICLES.some((a) => !a.published), 'some entries are undated');
  assert.notDeepEqual(reference({ q: WORD, sort: 'oldest' }), [...reference({ q: WORD })].reverse(), 'ties keep the publisher order both ways');
});

test('a tag or an author selected alone shows its count and first page', { timeout: LIMIT }, async () => {
  for (const [params, want] of [
    [`tag=${encodeURIComponent(TAG)}`, reference({ tag: TAG })],
    [`tag=${encodeURIComponent(TAG)}&sort=oldest`, reference({ tag: TAG, sort: 'oldest' })],
    [`author=${encodeURIComponent(AUTHOR)}`, reference({ author: AUTHOR })],
  ]) {
    const page = await open(`${ARCHIVE}&${params}`, 5);
    check(await settled(page), want, params);
    assert.deepEqual(page.problems, [], params);
    await page.close();
  }
});

test('cards equal the reference under newest and oldest, a tag and a query, with answers delayed and reordered', { timeout: LIMIT }, async () => {
  const page = await open(`${ARCHIVE}&sort=newest`, 11);
  check(await settled(page), reference({}), 'opened newest first');

  // The host holds back the files of the first state typed (if it needs any: the worker may
  // have them); the second state's answer comes first, then the first state's files.
  await mark(page);
  gate = [];
  await typed(page, WORD.slice(0, 3));
  await until(() => gate.length > 0 || page.evaluate(() => window.__disorder.waiting > 0), 'the first state asked');
  const heldBack = gate;
  gate = null;
  await typed(page, WORD);
  await until(() => page.evaluate((q) => {
    const busy = document.querySelector('.av-collection .av-results').getAttribute('aria-busy');
    return busy === 'false' && new URL(location.href).searchParams.get('q') === q;
  }, WORD), 'the second state answered');
  for (const go of heldBack) go();
  check(await settled(page), reference({ q: WORD }), 'typed, newest');

  // The order switched twice, the answers all held in the page and then handed over in reverse.
  await mark(page);
  await page.evaluate(() => { window.__disorder.hold = true; });
  await page.locator('.av-sort select').selectOption('oldest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'oldest');
  await page.locator('.av-sort select').selectOption('newest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'newest');
  await page.locator('.av-sort select').selectOption('oldest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'oldest');
  for (let round = 0; round < 20; round++) {
    await sleep(100);
    await page.evaluate(() => window.__disorder.release());
  }
  await page.evaluate(() => { window.__disorder.hold = false; });
  check(await settled(page), reference({ q: WORD, sort: 'oldest' }), 'switched to oldest');

  // A tag under the query, then newest again: random delays at both ends.
  await mark(page);
  await page.locator(`.av-facet-tags .av-chip[data-value="${TAG}"]`).click();
  await page.waitForFunction((t) => new URL(location.href).searchParams.getAll('tag').includes(t), TAG);
  check(await settled(page), reference({ q: WORD, tag: TAG, sort: 'oldest' }), 'tag, oldest');
  await mark(page);
  await page.locator('.av-sort select').selectOption('newest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'newest');
  const newest = reference({ q: WORD, tag: TAG, sort: 'newest' });
  check(await settled(page), newest, 'tag, newest');

  // The next pages, past the precomputed ones: each placed where it starts.
  for (const pages of [2, 3, 5]) {
    await mark(page);
    await page.locator('.av-more').evaluate((b) => b.click());
    await page.waitForFunction((n) => document.querySelectorAll('.av-collection .av-card').length >= n, pages * PAGE);
    check(await settled(page), newest, `next page (${pages})`, pages);
  }

  // Typing on under the tag while a page is out: the older request's pages never join the new one.
  await page.evaluate(() => { window.__disorder.hold = true; });
  await page.locator('.av-more').evaluate((b) => b.click());
  await typed(page, `${WORD} ${TAG}`);
  await typed(page, WORD);
  await sleep(300);
  await page.evaluate(() => { window.__disorder.hold = false; window.__disorder.release(); });
  check(await settled(page), newest, 'typed on while a page was out');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('relevance, under a tag, is the whole collection\'s order, with answers delayed', { timeout: LIMIT }, async () => {
  const params = `q=${encodeURIComponent(WORD)}&tag=${encodeURIComponent(TAG)}`;
  const page = await open(`${ARCHIVE}&${params}`, 23);
  const archive = await settled(page);
  const whole = await open(`${WHOLE}&${params}`, 29);
  const memory = await settled(whole);
  assert.equal(archive.error, null);
  assert.deepEqual(archive.titles, memory.titles);
  assert.equal(archive.count, memory.count);
  assert.equal(archive.count, countText(reference({ q: WORD, tag: TAG }).length));
  await whole.close();
  await page.close();
});
