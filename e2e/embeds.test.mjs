// Embeds that load nothing until the reader asks (issue 21, part 3), on a small site built with
// target/release/article-viewer-cli: a YouTube, a Vimeo, an X and an Instagram address alone on
// their lines. site.toml lets YouTube, Vimeo and X play in place; Instagram is not listed.
// The providers' thumbnails and oEmbed answers come from a fake provider on 127.0.0.1 (the
// build's ARTICLE_VIEWER_EMBED_MIRROR); in the browser every request that leaves the site is
// recorded and answered by a fake frame. Checked: nothing from a provider before a click, the
// one frame after it (by click and by Enter), an unlisted provider's facade is a link and its
// origin is not in the policy, from disk without JavaScript a link with its poster, axe-core in
// light and dark, the build's cache (a rebuild fetches nothing) and --offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launchBrowser, openPage } from './browser.mjs';
import { CLI } from './cli.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.resolve(process.env.AV_DIST || path.join(root, 'dist'));
const SITE = 'https://news.example/';

const YT = 'jNQXAC9IVRw';
const YT_GONE = 'AAAAAAAAAAA';
const VIMEO = '76979871';
const X = 'https://x.com/jack/status/20';
const INSTA = 'C0abc_-9XyZ';
const FRAMES = {
  youtube: `https://www.youtube-nocookie.com/embed/${YT}?autoplay=1`,
  vimeo: `https://player.vimeo.com/video/${VIMEO}?dnt=1&autoplay=1`,
};

let tmp, siteDir, provider, server, browser;

/** A PNG of w × h in one colour (the fake provider's thumbnails). */
function png(w, h, [r, g, b]) {
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set([r, g, b], 1 + x * 3);
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.concat(Array(h).fill(row)))), chunk('IEND', Buffer.alloc(0))]);
}

/** The fake provider: YouTube's and Vimeo's oEmbed and thumbnails, under /<host>/<path>. */
async function startProvider() {
  const asked = [];
  const server = http.createServer((req, res) => {
    asked.push(req.url);
    const url = new URL(req.url, 'http://x');
    const send = (status, body, type) => { res.writeHead(status, { 'content-type': type }); res.end(body); };
    const page = url.searchParams.get('url') || '';
    if (url.pathname === '/www.youtube.com/oembed' && page.endsWith(`v=${YT}`)) {
      return send(200, JSON.stringify({ title: '동물원에서 <b>"나"</b>', thumbnail_url: 'https://elsewhere.example/x.jpg' }), 'application/json');
    }
    if (url.pathname === `/i.ytimg.com/vi/${YT}/hqdefault.jpg`) return send(200, png(48, 36, [200, 60, 40]), 'image/png');
    if (url.pathname === '/vimeo.com/api/oembed.json' && page.endsWith(`/${VIMEO}`)) {
      return send(200, JSON.stringify({ title: 'Vimeo의 영상', thumbnail_url: 'https://i.vimeocdn.com/video/1-abc_640' }), 'application/json');
    }
    if (url.pathname === '/i.vimeocdn.com/video/1-abc_640') return send(200, png(64, 36, [40, 90, 200]), 'image/png');
    send(404, 'no such video', 'text/plain');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}`, asked, close: () => new Promise((ok) => server.close(ok)) };
}

const article = (id, title, body) => ({ id, title, language: 'ko', published: '2025-06-01T09:00:00+09:00', body });

/** A content folder: one story with every provider, one with an unavailable video, one with Instagram only. */
function writeContent(dir) {
  fs.mkdirSync(path.join(dir, 'articles'), { recursive: true });
  const stories = [
    article('play', '임베드 모음', `영상과 게시물을 한 곳에.\n\nhttps://www.youtube.com/watch?v=${YT}&t=3\n\nhttps://vimeo.com/${VIMEO}\n\n${X}\n\nhttps://www.instagram.com/p/${INSTA}/\n\n문장 속 주소 https://youtu.be/${YT} 는 링크로 남는다.\n`),
    article('gone', '사라진 영상', `https://youtu.be/${YT_GONE}\n`),
    article('insta', '인스타그램만', `https://www.instagram.com/reel/${INSTA}/\n`),
  ];
  for (const a of stories) fs.writeFileSync(path.join(dir, 'articles', `${a.id}.json`), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({
    title: '임베드 시험', language: 'ko',
    articles: stories.map((a) => ({ id: a.id, title: a.title, published: a.published, href: `articles/${a.id}.json` })),
  }));
  fs.writeFileSync(path.join(dir, 'site.toml'), 'title = "임베드 시험"\nembeds = ["youtube", "vimeo", "x"]\n');
}

/** Builds `content` into a copy of the trunk build at `out`, the fake provider as the mirror (run
 * asynchronously: the fake provider answers from this process). */
async function build(content, out, extra = []) {
  fs.cpSync(DIST, out, { recursive: true });
  const child = spawn(CLI, ['build', '--content', content, '--dist', out, '--site', SITE, ...extra], {
    env: { ...process.env, ARTICLE_VIEWER_EMBED_MIRROR: provider.url },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const status = await new Promise((ok) => child.on('close', ok));
  assert.equal(status, 0, stderr);
  return { stderr };
}

before(async () => {
  if (!fs.existsSync(CLI)) {
    const b = spawnSync('cargo', ['build', '--release', '-p', 'article-viewer-cli'], { cwd: root, stdio: 'inherit' });
    assert.equal(b.status, 0, 'cargo build --release -p article-viewer-cli failed');
  }
  assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST}/index.html missing: run trunk build --release`);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'av-embeds-e2e-'));
  provider = await startProvider();
  writeContent(path.join(tmp, 'content'));
  siteDir = path.join(tmp, 'site');
  const r = await build(path.join(tmp, 'content'), siteDir);
  // The unavailable video is a warning naming its page and address; the others were fetched.
  assert.match(r.stderr, new RegExp(`warning: articles/gone\\.json: https://youtu\\.be/${YT_GONE}: shown without the provider's poster and title`));
  assert.equal(r.stderr.match(/shown without the provider's poster/g).length, 1, r.stderr);
  server = await startServer({ root: siteDir });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await provider?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A page whose requests that leave the site are recorded (`page.away`) and answered by a fake frame. */
async function pageIn(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, ...options });
  const away = [];
  await context.route((url) => !url.href.startsWith(server.url) && url.protocol !== 'file:', (route) => {
    away.push(route.request().url());
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>fake provider</title><p>provider frame</p>' });
  });
  const page = await openPage(context);
  page.away = away;
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return { page, context, close: () => context.close() };
}

const policyOf = (page) => page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);

test('nothing comes from a provider before the click; the click loads its one frame', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/articles/play.html`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.away, [], 'no request leaves the site before a click');
    assert.equal(await page.locator('figure.av-embed').count(), 4);
    // The paragraph with more than the address stays a link.
    assert.equal(await page.locator(`.av-body p a[href="https://youtu.be/${YT}"]`).count(), 1);
    const policy = await policyOf(page);
    assert.match(policy, /frame-src 'self' https:\/\/www\.youtube-nocookie\.com https:\/\/player\.vimeo\.com https:\/\/platform\.twitter\.com(;|$)/);
    assert.doesNotMatch(policy, /instagram/);
    // The poster is the build's copy, beside the site; the title the provider's, as text.
    const yt = page.locator('figure.av-embed-youtube');
    const poster = yt.locator('img.av-embed-poster');
    assert.match(await poster.getAttribute('src'), /^\.\.\/_embeds\/[0-9a-f]+\.png$/);
    assert.equal(await poster.evaluate((i) => i.complete && i.naturalWidth), 48);
    assert.equal(await yt.locator('.av-embed-title').innerText(), '동물원에서 <b>"나"</b>');
    assert.equal(await yt.locator('a').getAttribute('href'), `https://www.youtube.com/watch?v=${YT}&t=3`);

    await yt.locator('a.av-embed-link').click();
    const frame = yt.locator('iframe.av-embed-frame');
    await frame.waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(page.away, [FRAMES.youtube], 'exactly the provider frame');
    assert.equal(await frame.getAttribute('title'), '동물원에서 <b>"나"</b>');
    assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'IFRAME', 'the frame takes the focus');
    assert.equal(await page.locator('figure.av-embed-youtube a').count(), 0);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('Enter on a facade plays it; the X post comes as a frame, not a script', async () => {
  const { page, close } = await pageIn();
  try {
    await page.goto(`${server.url}/articles/play.html`);
    await page.locator('figure.av-embed-vimeo a.av-embed-link').focus();
    const ring = await page.locator('figure.av-embed-vimeo a.av-embed-link').evaluate((a) => getComputedStyle(a).outlineStyle);
    assert.notEqual(ring, 'none', 'the focused facade shows its focus');
    await page.keyboard.press('Enter');
    await page.locator('figure.av-embed-vimeo iframe').waitFor();
    assert.deepEqual(page.away, [FRAMES.vimeo]);
    await page.locator('figure.av-embed-x a.av-embed-link').click();
    await page.locator('figure.av-embed-x iframe').waitFor();
    assert.deepEqual(page.away, [FRAMES.vimeo, 'https://platform.twitter.com/embed/Tweet.html?id=20&dnt=true']);
    assert.equal(await page.locator('script[src]').count(), 0, 'no provider script');
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('a provider the site does not list is a link to it, outside the policy', async () => {
  const { page, context, close } = await pageIn();
  try {
    await page.goto(`${server.url}/articles/play.html`);
    const insta = page.locator('figure.av-embed-instagram a.av-embed-link');
    assert.equal(await insta.getAttribute('data-av-frame'), null);
    assert.match(await insta.innerText(), /Instagram[\s\S]*Instagram 게시물[\s\S]*Instagram에서 보기/);
    const [opened] = await Promise.all([context.waitForEvent('page'), insta.click()]);
    await opened.waitForLoadState();
    assert.equal(opened.url(), `https://www.instagram.com/p/${INSTA}/`);
    assert.equal(await page.locator('iframe').count(), 0, 'no frame on the page');
    // _headers, sent with every file, allows the listed frames (each page's own policy narrows it).
    const headers = fs.readFileSync(path.join(siteDir, '_headers'), 'utf8');
    assert.match(headers, /frame-src 'self' https:\/\/www\.youtube-nocookie\.com https:\/\/player\.vimeo\.com https:\/\/platform\.twitter\.com/);
    assert.doesNotMatch(headers, /instagram/);
    // A page whose only embed is not listed carries no script and no frame-src.
    await page.goto(`${server.url}/articles/insta.html`);
    assert.equal(await page.locator('figure.av-embed-instagram').count(), 1);
    assert.doesNotMatch(await policyOf(page), /frame-src/);
    const inline = await page.evaluate(() => [...document.querySelectorAll('script:not([src]):not([type])')].map((s) => s.textContent));
    assert.ok(!inline.some((s) => s.includes('data-av-frame')), 'no embed script');
    assert.deepEqual(page.problems, []);
  } finally {
    await close();
  }
});

test('from disk without JavaScript a facade is a link with its poster', async () => {
  const { page, close } = await pageIn({ javaScriptEnabled: false });
  try {
    await page.goto(pathToFileURL(path.join(siteDir, 'articles/play.html')).href);
    const links = await page.locator('a.av-embed-link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`https://www.youtube.com/watch?v=${YT}&t=3`, `https://vimeo.com/${VIMEO}`, X, `https://www.instagram.com/p/${INSTA}/`]);
    const posters = await page.locator('a.av-embed-link img.av-embed-poster').evaluateAll((is) => is.map((i) => i.naturalWidth));
    assert.deepEqual(posters, [48, 64]);
    assert.equal(await page.locator('figure.av-embed-x .av-embed-card .av-embed-brand').innerText(), 'X');
    // Without a poster (the unavailable video) the facade is still the link, with its button.
    await page.goto(pathToFileURL(path.join(siteDir, 'articles/gone.html')).href);
    assert.equal(await page.locator(`figure.av-embed-youtube a[href="https://youtu.be/${YT_GONE}"] .av-embed-button`).count(), 1);
    assert.equal(await page.locator('figure.av-embed-youtube .av-embed-title').innerText(), 'YouTube 동영상');
    assert.deepEqual(page.away, []);
  } finally {
    await close();
  }
});

test('axe-core finds no violation on the facades in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, close } = await pageIn({ colorScheme, bypassCSP: true });
    try {
      await page.goto(`${server.url}/articles/play.html`);
      await page.locator('figure.av-embed').first().waitFor();
      assert.deepEqual(await axeViolations(page), [], colorScheme);
      await page.goto(`${server.url}/articles/gone.html`);
      assert.deepEqual(await axeViolations(page), [], `${colorScheme}, without a poster`);
    } finally {
      await close();
    }
  }
});

test('a rebuild fetches nothing the cache has; --offline fetches nothing at all', async () => {
  const before = provider.asked.length;
  await build(path.join(tmp, 'content'), path.join(tmp, 'again'));
  // Only the unavailable video (never kept) is asked for again: its oEmbed answer was a 404.
  const again = provider.asked.slice(before);
  assert.deepEqual(again, [`/www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D${YT_GONE}&format=json`]);
  const posters = (dir) => fs.readdirSync(path.join(dir, '_embeds')).sort();
  assert.deepEqual(posters(path.join(tmp, 'again')), posters(siteDir));
  assert.equal(posters(siteDir).length, 2);
  // A fresh copy of the content, offline: no request, no poster, no warning, facades all the same.
  const fresh = path.join(tmp, 'fresh');
  writeContent(fresh);
  const n = provider.asked.length;
  const r = await build(fresh, path.join(tmp, 'offline'), ['--offline']);
  assert.equal(provider.asked.length, n);
  assert.doesNotMatch(r.stderr, /shown without/);
  assert.ok(!fs.existsSync(path.join(tmp, 'offline', '_embeds')));
  const page = fs.readFileSync(path.join(tmp, 'offline', 'articles/play.html'), 'utf8');
  assert.equal(page.match(/<figure class="av-embed /g).length, 4);
  assert.match(page, /YouTube 동영상/);
});
