// Imported embeds and galleries (issue 21, part 3): a Ghost export (html and lexical posts) and
// a WordPress export (block editor and classic shortcodes), both written for these tests
// (crates/import/tests/fixtures/import/embeds/, with their pictures beside them), imported and
// built with target/release/article-viewer-cli (--offline: nothing is fetched). Checked in
// Chromium: every YouTube, Vimeo, X and Instagram embed comes out as the provider's address
// alone in its paragraph, which `build` shows as a facade; every gallery as one group of
// figures with all its pictures (their smaller copies offered), a strip to swipe at 390 px
// and a grid at 1280 px, reachable by keyboard; other embeds stay links and are listed in the
// import report; axe-core finds nothing, light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';
import { CLI, runCli } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const FIXTURES = path.join(root, 'crates/import/tests/fixtures/import/embeds');
const SITE = 'https://news.example/';

const yt = (id) => `https://www.youtube.com/watch?v=${id}`;
/** Per page: the embeds in order, and each gallery's pictures (alt texts) and captions. */
const PAGES = {
  'ghost/night-market-returns': {
    embeds: [yt('mktOpen1_aA'), 'https://vimeo.com/880011', 'https://x.com/market_guild/status/1855000000000000003',
      'https://www.instagram.com/p/NightMkt_9/'],
    galleries: [{ alts: ['붐비는 시장 골목', '떡볶이 노점', '줄지어 걸린 등'], captions: ['사진: 시장 상인회'] }],
    links: ['https://citynews.example/night-markets', 'https://w.soundcloud.example/player/?url=tracks%2F42'],
  },
  'ghost/night-market-week-two': {
    embeds: [yt('mktWeek2_bB'), 'https://x.com/market_guild/status/1856000000000000004', yt('mktRecap3cC')],
    galleries: [{ alts: ['등불', '시장 입구'], captions: ['둘째 주의 시장'] }],
    links: ['https://guild.example/notice'],
  },
  'wordpress/new-crane': {
    embeds: [yt('crane01_xYz'), 'https://vimeo.com/552200', 'https://x.com/harbour_desk/status/1722000000000000001'],
    galleries: [{ alts: ['빈 부두', '올라가는 크레인', '첫 화물선'], captions: ['설치 전 3부두', '사진: 항만 데스크'] }],
    links: ['https://open.spotify.example/episode/7'],
  },
  'wordpress/a-day-at-the-dock': {
    embeds: [yt('dawn05_abcd'), yt('unload6_efg'), yt('night07_hij'), 'https://vimeo.com/552201',
      'https://x.com/port_ops/status/1722000000000000002', 'https://www.instagram.com/p/DockDay_1/', 'https://vimeo.com/552202'],
    galleries: [
      { alts: ['첫 화물선', '빈 부두', '올라가는 크레인'], captions: ['첫 화물선 입항', '설치 전 3부두'] },
      { alts: ['올라가는 크레인', '빈 부두'], captions: ['설치 전 3부두'] },
    ],
    links: ['https://harbourdesk.example/wp-content/uploads/2025/11/horn.mp3'],
  },
};

let tmp, browser;
const servers = {};
/** Whether `build` shows a provider's address as a facade (the embeds work of issue 21). */
let facades = false;

function run(args) {
  return runCli(args, 180000);
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  facades = run(['build', '--help']).stdout.includes('--offline');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-import-embeds-e2e-'));
  for (const [name, kind, file, extra] of [
    ['ghost', 'ghost', 'ghost.json', ['--site', 'https://market.example/']],
    ['wordpress', 'wordpress', 'wordpress.xml', []],
  ]) {
    const content = path.join(tmp, `${name}-content`);
    run(['import', kind, path.join(FIXTURES, file), '--out', content, ...extra]);
    const site = path.join(tmp, name);
    fs.cpSync(DIST, site, { recursive: true });
    run(['build', '--content', content, '--dist', site, '--site', SITE, ...(facades ? ['--offline'] : [])]);
    servers[name] = await startServer({ root: site });
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const s of Object.values(servers)) await s.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens the article `key` (`ghost/slug`) at `width`; every request off the site is answered empty. */
async function open(key, width, options = {}) {
  const [name, slug] = key.split('/');
  const context = await browser.newContext({ viewport: { width, height: 844 }, ...options });
  await context.route((url) => !url.hostname.startsWith('127.0.0.1'), (route) => route.fulfill({ status: 204, body: '' }));
  const page = await openPage(context);
  await page.goto(`${servers[name].url}/articles/${slug}.html`);
  await page.waitForSelector('.av-body');
  return { page, close: () => context.close() };
}

/** The provider addresses the body shows as embeds: facades, or paragraphs that are one such link. */
function embedsIn(page) {
  return page.locator('.av-body').evaluate((body) => {
    const out = [];
    for (const el of body.querySelectorAll('figure.av-embed, p')) {
      if (el.matches('figure')) {
        out.push({ facade: true, href: el.querySelector('a[href]')?.getAttribute('href') });
        continue;
      }
      const links = el.querySelectorAll('a');
      if (links.length === 1 && el.textContent.trim() === links[0].textContent.trim()) {
        const href = links[0].getAttribute('href');
        if (/^https:\/\/(www\.youtube\.com|vimeo\.com|x\.com|www\.instagram\.com)\//.test(href)) out.push({ facade: false, href });
      }
    }
    return out;
  });
}

for (const [key, want] of Object.entries(PAGES)) {
  test(`${key}: embeds are the providers' addresses on their own lines, galleries one group each`, async () => {
    const { page, close } = await open(key, 1280);
    try {
      const embeds = await embedsIn(page);
      assert.deepEqual(embeds.map((e) => e.href), want.embeds);
      assert.ok(embeds.every((e) => e.facade === facades), `facades: ${facades}, ${JSON.stringify(embeds)}`);
      const galleries = page.locator('.av-body .av-gallery');
      assert.equal(await galleries.count(), want.galleries.length);
      for (const [i, g] of want.galleries.entries()) {
        const gallery = galleries.nth(i);
        assert.equal(await gallery.getAttribute('role'), 'group');
        assert.equal(await gallery.getAttribute('aria-label'), `사진 ${g.alts.length}장`);
        assert.equal(await gallery.getAttribute('tabindex'), '0');
        assert.deepEqual(await gallery.locator(':scope > figure.av-figure img:not(.av-ph)').evaluateAll((imgs) => imgs.map((i) => i.alt)), g.alts);
        assert.deepEqual(await gallery.locator('figcaption').allInnerTexts(), g.captions);
        // The picture machinery: smaller copies offered for the gallery's width, fetched when near.
        const sources = await gallery.locator('picture source').evaluateAll((s) => s.map((x) => [x.srcset.length > 0, x.sizes]));
        assert.deepEqual(sources, g.alts.map(() => [true, '(min-width: 46rem) 15rem, 85vw']));
        assert.deepEqual(await gallery.locator('picture img').evaluateAll((imgs) => imgs.map((i) => i.loading)), g.alts.map(() => 'lazy'));
        // At 1280 px a grid: the first row holds two or more pictures side by side.
        const tops = await gallery.locator(':scope > figure').evaluateAll((f) => f.map((x) => Math.round(x.getBoundingClientRect().top)));
        assert.equal(tops[1], tops[0], `a grid: ${tops}`);
        await gallery.scrollIntoViewIfNeeded();
        await page.waitForFunction((el) => [...el.querySelectorAll('picture img')].every((i) => i.complete && i.naturalWidth > 0),
          await gallery.elementHandle(), { timeout: 10000 });
      }
      for (const href of want.links) {
        assert.equal(await page.locator(`.av-body a[href="${href}"]`).count(), 1, `a link to ${href}`);
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  });
}

test('at 390 px a gallery is one strip to swipe, and the keyboard scrolls it', async () => {
  const { page, close } = await open('wordpress/new-crane', 390);
  try {
    const gallery = page.locator('.av-body .av-gallery');
    await gallery.scrollIntoViewIfNeeded();
    const box = await gallery.evaluate((g) => ({
      scroll: g.scrollWidth, client: g.clientWidth, snap: getComputedStyle(g).scrollSnapType,
      tops: [...g.children].map((f) => Math.round(f.getBoundingClientRect().top)),
      widths: [...g.children].map((f) => f.getBoundingClientRect().width / g.clientWidth),
    }));
    assert.ok(box.scroll > 2 * box.client, JSON.stringify(box));
    assert.equal(box.snap, 'x mandatory');
    assert.ok(box.tops.every((t) => t === box.tops[0]), `one row: ${box.tops}`);
    assert.ok(box.widths.every((w) => w > 0.8 && w < 0.9), `most of the screen each: ${box.widths}`);
    // The next picture shows at the edge: the reader sees there is more.
    const next = await gallery.locator(':scope > figure').nth(1).evaluate((f) => f.getBoundingClientRect().left);
    assert.ok(next < 390, `the second picture starts at ${next}`);
    await gallery.focus();
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), '사진 3장');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((g) => g.scrollLeft > 0, await gallery.elementHandle(), { timeout: 5000 });
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('axe finds nothing on the imported pages, light and dark, wide and narrow', async () => {
  for (const key of Object.keys(PAGES)) {
    for (const [width, colorScheme] of [[1280, 'light'], [390, 'dark']]) {
      const { page, close } = await open(key, width, { bypassCSP: true, colorScheme });
      try {
        assert.deepEqual(await axeViolations(page), [], `${key} ${width} ${colorScheme}`);
      } finally {
        await close();
      }
    }
  }
});

test('the import report lists each embed and shortcode that stayed a link or text, with its post', () => {
  const messages = (name) => JSON.parse(fs.readFileSync(path.join(tmp, `${name}-content.import.json`), 'utf8')).warnings
    .flatMap((w) => w.messages.map((m) => `${w.post} ${m}`));
  const ghost = messages('ghost');
  assert.ok(ghost.some((m) => m.includes('야시장이 돌아왔다') && m.includes('https://w.soundcloud.example/player/?url=tracks%2F42')), ghost.join('\n'));
  const wp = messages('wordpress');
  for (const [post, what] of [
    ['새 크레인이 부두에 섰다', 'https://open.spotify.example/episode/7'],
    ['부두의 하루', '[audio mp3='],
    ['부두의 하루', '[contact-form-7 id="5" title="제보하기"]'],
  ]) {
    assert.ok(wp.some((m) => m.includes(post) && m.includes(what)), `${post}: ${what} in\n${wp.join('\n')}`);
  }
  const md = fs.readFileSync(path.join(tmp, 'wordpress-content.import.md'), 'utf8');
  assert.match(md, /contact-form-7/);
});
