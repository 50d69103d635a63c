// Collection filtering as a Korean reader types it: IME composition, 초성, facets, sort,
// URL state, keyboard shortcuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { launch, openPage } from './browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function open(path = '/') {
  const page = await openPage(browser.context);
  await page.goto(server.url + path);
  await page.waitForSelector('.av-collection .av-search');
  return page;
}

const titles = (page) => page.locator('.av-collection .av-card-title').allInnerTexts();
const count = (page) => page.locator('.av-count').innerText();

/** Types the way a Korean IME does: each keystroke replaces the composing text. */
async function compose(page, steps, commit) {
  return page.evaluate(async ([steps, commit]) => {
    const input = document.querySelector('.av-search');
    input.focus();
    const base = input.value;
    const counts = [];
    const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    input.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
    for (const s of steps) {
      input.value = base + s;
      input.dispatchEvent(new CompositionEvent('compositionupdate', { data: s }));
      input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: s }));
      await settle();
      counts.push(document.querySelector('.av-count').textContent);
    }
    input.dispatchEvent(new CompositionEvent('compositionend', { data: commit }));
    input.value = base + commit;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: false, inputType: 'insertText', data: commit }));
    await settle();
    return counts;
  }, [steps, commit]);
}

test('results follow every keystroke while the IME is composing, mid-syllable included', async () => {
  const page = await open();
  assert.equal(await count(page), '기사 8개');
  // 클라우드 as typed: 클 → 클ㄹ is not a syllable, the IME commits 클 and composes 라 → 랑 → 라우 → 라욷 → 라우드.
  const counts = await compose(page, ['ㅋ', '크', '클', '클ㄹ', '클라', '클랑', '클라우', '클라욷', '클라우드'], '클라우드');
  assert.equal(counts.length, 9);
  // 클랑 is 클라 with the next syllable's initial still attached: it must keep the 클라우드 stories.
  const atKlang = counts[5];
  assert.match(atKlang, /중 [1-9]\d*개$/, `클랑 lost the results: ${atKlang}`);
  const found = await titles(page);
  assert.ok(found.some((t) => t.includes('클라우드')), found.join(' / '));
  assert.ok(found.every((t) => !t.startsWith('HBM4')));
  const mark = await page.locator('.av-card-title mark').first().innerText();
  assert.equal(mark, '클라우드');
  assert.equal(new URL(page.url()).searchParams.get('q'), '클라우드');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Enter while composing does nothing; typing replaces history instead of adding to it', async () => {
  const page = await open();
  const entries = await page.evaluate(() => history.length);
  await compose(page, ['ㅂ', '보', '볻', '보아'], '보안');
  const before = [page.url(), await count(page)];
  await page.evaluate(() => {
    const input = document.querySelector('.av-search');
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, isComposing: true, bubbles: true }));
  });
  await page.keyboard.press('Enter');
  assert.deepEqual([page.url(), await count(page)], before);
  assert.equal(await page.evaluate(() => history.length), entries);
  await page.close();
});

test('초성, mixed and NFD queries find their stories, with marks on the original text', async () => {
  const page = await open();
  const search = page.locator('.av-search');
  await search.fill('ㅅㅁㅌㅍ');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 1개');
  assert.deepEqual(await titles(page), ['스마트폰 속 AI, 클라우드 없이 어디까지 가능할까']);
  assert.equal(await page.locator('.av-card-title mark').innerText(), '스마트폰');
  await search.fill('피ㅅ');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 1개');
  assert.match((await titles(page))[0], /피싱/);
  await search.fill('반도체'.normalize('NFD'));
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 2개');
  await search.fill('ａｉ');
  await page.waitForFunction(() => /중 [3-9]개/.test(document.querySelector('.av-count').textContent));
  await page.close();
});

test('facets count under the query, hide zeros, and combine with sort', async () => {
  const page = await open();
  await page.locator('.av-search').fill('반도체');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 2개');
  const chips = async (facet) => Object.fromEntries(await page.locator(`.av-facet-${facet} .av-chip`).evaluateAll((bs) =>
    bs.map((b) => [b.dataset.value, +b.querySelector('.av-chip-count').textContent])));
  const tags = await chips('tags');
  assert.equal(tags['반도체'], 2);
  assert.equal(tags['보안'], undefined, 'zero-count facets are hidden');
  await page.locator('.av-facet-tags .av-chip[data-value="HBM"]').click();
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 1개');
  assert.equal(await page.locator('.av-facet-tags .av-chip[data-value="HBM"]').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(await titles(page), ["HBM4 양산 앞둔 메모리 업계, 승부처는 '수율'"]);
  // Authors count under the query and the tag selection.
  assert.deepEqual(await chips('authors'), { '박준호': 1 });
  await page.locator('.av-facet-tags .av-chip[data-value="HBM"]').click();
  await page.locator('.av-sort select').selectOption('oldest');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 2개');
  assert.deepEqual((await titles(page)).map((t) => t.slice(0, 4)), ['HBM4', '한빛반도']);
  await page.locator('.av-sort select').selectOption('newest');
  assert.deepEqual((await titles(page)).map((t) => t.slice(0, 4)), ['한빛반도', 'HBM4']);
  await page.locator('.av-clear').click();
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개');
  assert.equal(await page.locator('.av-search').inputValue(), '');
  await page.close();
});

test('the view lives in the URL: reload, back/forward and shared links restore it', async () => {
  const page = await open();
  await page.locator('.av-search').fill('AI');
  await page.locator('.av-facet-authors .av-chip[data-value="박준호"]').click();
  await page.locator('.av-sort select').selectOption('newest');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('sort') === 'newest');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('q'), 'AI');
  assert.deepEqual(url.searchParams.getAll('author'), ['박준호']);
  const shown = await titles(page);
  const restoredOk = async (p) => {
    await p.waitForSelector('.av-collection .av-card');
    assert.equal(await p.locator('.av-search').inputValue(), 'AI');
    assert.equal(await p.locator('.av-facet-authors .av-chip[data-value="박준호"]').getAttribute('aria-pressed'), 'true');
    assert.equal(await p.locator('.av-sort select').inputValue(), 'newest');
    assert.deepEqual(await titles(p), shown);
  };
  await page.reload();
  await restoredOk(page);
  // A shared link in a fresh tab.
  const other = await openPage(browser.context);
  await other.goto(page.url());
  await restoredOk(other);
  await other.close();
  // Open a story, come back: the filtered list is still there.
  await page.locator('.av-collection a.av-card-link[href$=".html"]').first().click();
  await page.waitForSelector('h1.av-title');
  await page.goBack();
  await restoredOk(page);
  await page.goForward();
  await page.waitForSelector('h1.av-title');
  await page.close();
});

test('/ focuses the search box and Esc clears it; an empty result says so', async () => {
  const page = await open();
  // Somewhere that is not a control or a link (the middle of the page is the lead story's card).
  await page.locator('.av-count').click();
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'av-search');
  await page.keyboard.type('zzzqqq');
  await page.waitForSelector('.av-no-results');
  assert.equal(await count(page), '기사 8개 중 0개');
  assert.match(await page.locator('.av-no-results').innerText(), /조건에 맞는 기사가 없습니다/);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개');
  assert.equal(await page.locator('.av-search').inputValue(), '');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'av-search');
  // Typing "/" into the box is a character, not a shortcut.
  await page.keyboard.type('a/b');
  assert.equal(await page.locator('.av-search').inputValue(), 'a/b');
  const label = await page.locator('label[for]').filter({ hasText: '기사 검색' }).count();
  assert.equal(label, 1, 'the search box is labelled');
  await page.close();
});

test('a tag on an article opens the tag\'s page: its stories, searched with the app', async () => {
  const page = await open();
  await page.locator('.av-collection a.av-card-link', { hasText: 'HBM4' }).click();
  await page.waitForSelector('h1.av-title');
  const tag = page.locator('.av-tags a.av-tag-link', { hasText: '#반도체' });
  await tag.click();
  await page.waitForSelector('.av-collection .av-search');
  assert.equal(decodeURIComponent(new URL(page.url()).pathname), '/tags/반도체/index.html');
  assert.equal(await page.locator('h1.av-collection-title').innerText(), '#반도체');
  assert.equal(await count(page), '기사 2개');
  await page.close();
});

test('large collections render a page at a time; facets beyond the common ones wait behind "more"', async () => {
  const articles = Array.from({ length: 100 }, (_, i) => ({
    id: `g${i}`, title: `생성된 기사 ${i} 오라클 클라우드`, summary: `요약 ${i}`,
    tags: [`태그${i % 30}`], authors: [{ name: `기자${i % 20}` }],
    published: `2025-01-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00+09:00`, href: 'x.json',
  }));
  server.docs.set('/_gen/big.json', { body: JSON.stringify({ title: '큰 모음', language: 'ko', articles }) });
  const page = await openPage(browser.context);
  // A short window, so that the first page of cards does not fit and no more is fetched yet.
  await page.setViewportSize({ width: 1280, height: 400 });
  await page.goto(`${server.url}/?src=/_gen/big.json`);
  await page.waitForSelector('.av-collection .av-card');
  assert.equal(await count(page), '기사 100개');
  assert.equal(await page.locator('.av-collection .av-card').count(), 12);
  // The click goes to the button itself: a pointer click first scrolls it into view, and
  // scrolling to it brings a page too (36, not 24, on a clean run).
  await page.locator('button.av-more').evaluate((b) => b.click());
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 24);
  assert.equal(await page.locator('.av-collection .av-card').count(), 24);
  // Scrolling to the end brings the next page.
  await page.locator('button.av-more').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length >= 36);
  // A new query starts from the first page again.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator('.av-search').fill('오라클');
  await page.waitForFunction(() => document.querySelectorAll('.av-collection .av-card').length === 12);
  assert.equal(await count(page), '기사 100개');
  assert.equal(await page.locator('.av-facet-tags .av-chip').count(), 12);
  const more = page.locator('.av-facet-tags .av-facet-more');
  assert.equal(await more.getAttribute('aria-expanded'), 'false');
  await more.click();
  assert.equal(await page.locator('.av-facet-tags .av-chip').count(), 30);
  assert.equal(await more.count(), 0, 'every value is shown');
  const fewer = page.locator('.av-facet-tags .av-facet-fewer');
  assert.equal(await fewer.getAttribute('aria-expanded'), 'true');
  await fewer.click();
  assert.equal(await page.locator('.av-facet-tags .av-chip').count(), 12);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a query typed with the IME off is read as Korean and says so; the query as typed is one click away', async () => {
  const page = await open();
  await page.locator('.av-search').fill('qksehcp');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 2개');
  assert.equal(await page.locator('.av-corrected').innerText(), '‘반도체’로 검색한 결과 · ‘qksehcp’(으)로 검색');
  assert.ok((await page.locator('.av-card mark').allInnerTexts()).includes('반도체'), 'what was searched is marked');
  await page.locator('.av-as-typed').click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('typed') === '1');
  await page.locator('.av-no-results').waitFor();
  assert.equal(await page.locator('.av-corrected').count(), 0);
  // Typing again reads the new query in either mode.
  await page.locator('.av-search').fill('zmffkdnem');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('typed') === null);
  await page.locator('.av-corrected').waitFor();
  assert.match(await page.locator('.av-corrected').innerText(), /^‘클라우드’로 검색한 결과/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a Latin word of five letters finds the word one edit away, marked', async () => {
  const page = await open();
  await page.locator('.av-search').fill('Seuol');
  await page.waitForFunction(() => document.querySelector('.av-count').textContent === '기사 8개 중 1개');
  assert.deepEqual(await titles(page), ["Seoul's AI Data Center Boom Runs Into the Power Grid"]);
  assert.equal(await page.locator('.av-card-title mark').first().innerText(), 'Seoul');
  assert.equal(await page.locator('.av-corrected').count(), 0, 'a typo is not another input mode');
  await page.close();
});
