// Responsive pictures (docs/guide/pictures.md): a site with a photo (e2e/data/pictures/photo.jpg,
// 1800 x 1200) as a story's hero and body figure, and a story with an SVG hero, built by
// target/release/article-viewer-cli build --dist into a copy of the trunk build (dist/, or
// AV_DIST), so that the stylesheet is the working tree's. In Chromium: every srcset copy exists and
// decodes at its width, a 390 px screen takes the narrowest copy, og:image is a raster of at
// least 1200 x 630 (for the SVG hero too), and axe-core finds nothing on the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
const SITE = 'https://news.example/';
const DIST = path.resolve(process.env.AV_DIST || path.join(ROOT, 'dist'));

let work, server, browser, summary;

function writeSite(dir) {
  fs.mkdirSync(path.join(dir, 'articles'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'e2e/data/pictures/photo.jpg'), path.join(dir, 'images/photo.jpg'));
  fs.copyFileSync(path.join(ROOT, 'static/samples/images/hero-hbm.svg'), path.join(dir, 'images/hero.svg'));
  const para = '사진 아래로 이어지는 본문 문단이다. '.repeat(12);
  const photo = {
    id: 'photo', title: '사진 기사', language: 'ko', subtitle: '사진 두 장',
    image: { src: '../images/photo.jpg', alt: '색 번짐이 있는 풍경 사진', caption: '사진 설명' },
    body: `${para}\n\n![같은 사진](../images/photo.jpg "본문 사진")\n\n${para}`,
  };
  const drawing = { id: 'drawing', title: '그림 기사', language: 'ko', image: { src: '../images/hero.svg', alt: '그림' }, body: para };
  fs.writeFileSync(path.join(dir, 'articles/photo.json'), JSON.stringify(photo));
  fs.writeFileSync(path.join(dir, 'articles/drawing.json'), JSON.stringify(drawing));
  const index = {
    title: '사진', language: 'ko',
    articles: [
      { id: 'photo', title: photo.title, href: 'articles/photo.json', image: { src: 'images/photo.jpg', alt: photo.image.alt } },
      { id: 'drawing', title: drawing.title, href: 'articles/drawing.json', image: { src: 'images/hero.svg', alt: '그림' } },
    ],
  };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index));
}

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'av-pictures-'));
  const content = path.join(work, 'content');
  writeSite(content);
  const out = path.join(work, 'public');
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  fs.cpSync(DIST, out, { recursive: true });
  summary = execFileSync(CLI, ['build', '--content', content, '--dist', out, '--site', SITE], { encoding: 'utf8', stdio: 'pipe' });
  server = await startServer({ root: out });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

async function pageAt(width, options = {}) {
  const context = await browser.newContext({ viewport: { width, height: 800 }, ...options });
  return { page: await openPage(context), close: () => context.close() };
}

test('the build encodes the two pictures and says so', () => {
  assert.match(summary, /pictures: 2 encoded, 0 from the cache/);
});

test('every srcset copy exists and decodes at the width it claims', async () => {
  const { page, close } = await pageAt(1280);
  try {
    await page.goto(`${server.url}/articles/photo.html`);
    const sets = await page.locator('picture source').evaluateAll((s) => s.map((e) => [e.type, e.srcset, e.sizes]));
    assert.equal(sets.length, 2, 'the hero and the body figure');
    for (const [type, srcset, sizes] of sets) {
      assert.equal(type, 'image/webp');
      assert.ok(sizes.length > 0);
      const candidates = srcset.split(', ').map((c) => c.split(' '));
      assert.deepEqual(candidates.map((c) => c[1]), ['480w', '960w', '1600w']);
      for (const [url, w] of candidates) {
        const natural = await page.evaluate(async (src) => {
          const img = new Image();
          img.src = src;
          await img.decode();
          return img.naturalWidth;
        }, url);
        assert.equal(`${natural}w`, w, url);
      }
    }
    // The fallback (the picture's own format, at the widest width) decodes too, and the
    // intrinsic size is the photo's.
    const hero = page.locator('.av-hero picture img');
    assert.deepEqual(await hero.evaluate((i) => [i.getAttribute('width'), i.getAttribute('height'), i.fetchPriority, i.loading]), ['1800', '1200', 'high', 'auto']);
    const fallback = await hero.evaluate(async (i) => {
      const img = new Image();
      img.src = i.getAttribute('src');
      await img.decode();
      return [img.src.split('.').pop(), img.naturalWidth];
    });
    assert.deepEqual(fallback, ['jpg', 1600]);
    assert.equal(await page.locator('.av-body figure picture img').getAttribute('loading'), 'lazy');
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('a 390 px phone screen takes the narrowest copy, and a wide one a wider copy', async () => {
  for (const [width, scale, want] of [[390, 1, /-480\.webp$/], [390, 2, /-960\.webp$/], [1280, 2, /-1600\.webp$/]]) {
    const { page, close } = await pageAt(width, { deviceScaleFactor: scale });
    try {
      await page.goto(`${server.url}/articles/photo.html`);
      const hero = page.locator('.av-hero picture img');
      await hero.evaluate((i) => i.decode());
      assert.match(await hero.evaluate((i) => i.currentSrc), want, `${width} px at ${scale}x`);
      // The placeholder is behind the picture, not beside it: it covers the picture's box
      // (a little larger, so that its blurred edges stay outside), centred on it.
      const [ph, img] = await Promise.all(['.av-hero .av-ph', '.av-hero picture img'].map((s) => page.locator(s).boundingBox()));
      const centre = (b) => [b.x + b.width / 2, b.y + b.height / 2];
      const [[px, py], [ix, iy]] = [centre(ph), centre(img)];
      assert.ok(Math.abs(px - ix) < 1 && Math.abs(py - iy) < 1 && ph.height >= img.height, JSON.stringify({ ph, img }));
    } finally {
      await close();
    }
  }
});

test('og:image and twitter:image are rasters of at least 1200 x 630, for an SVG hero too', async () => {
  const { page, close } = await pageAt(1280);
  try {
    for (const rel of ['articles/photo.html', 'articles/drawing.html', 'index.html']) {
      await page.goto(`${server.url}/${rel}`);
      const og = await page.locator('meta[property="og:image"]').getAttribute('content');
      assert.equal(await page.locator('meta[name="twitter:image"]').getAttribute('content'), og);
      assert.ok(og.startsWith(SITE), og);
      const local = `${server.url}/${og.slice(SITE.length)}`;
      const response = await page.request.get(local);
      assert.equal(response.headers()['content-type'], 'image/jpeg', `${rel}: ${og}`);
      const size = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, local);
      assert.ok(size[0] >= 1200 && size[1] >= 630, `${rel}: ${size}`);
    }
  } finally {
    await close();
  }
});

test('axe-core finds no violation on a page with pictures, light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, close } = await pageAt(390, { bypassCSP: true, colorScheme });
    try {
      for (const rel of ['articles/photo.html', 'index.html']) {
        await page.goto(`${server.url}/${rel}`);
        await page.locator(rel === 'index.html' ? '.av-app[data-ready]' : '.av-article').waitFor();
        const found = await axeViolations(page);
        assert.deepEqual(found, [], `${rel} (${colorScheme})`);
      }
      assert.deepEqual(page.problems, []);
    } finally {
      await close();
    }
  }
});
