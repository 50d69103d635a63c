// Benchmark: responsive pictures (docs/guide/pictures.md, docs/benchmarks/pictures.md).
//
// 1. An article with 8 phone-camera photos (4032 x 3024 JPEGs of 2-4 MB made by bench/photos.py:
//    a hero and 7 figures) is built twice into copies of the trunk build: without copies
//    (`--no-picture-copies`, the pictures as they are: before) and with them (after). Each is read
//    in Chromium as a phone (390 x 844 CSS px at 3x, and at 1x) over a 10 Mbit/s, 40 ms
//    connection (CDP network emulation, cache off), and the bench prints the bytes of pictures
//    fetched (on arrival, and after scrolling to the end of the story) and the time to the hero
//    painted (largest-contentful-paint), the median of RUNS.
// 2. A site of 1,000 articles, each with its own picture, is built; then one article with one new
//    picture is added and the site built again: the build's summary says how many pictures it
//    encoded (it should be 1).
//
// Usage: node bench/pictures.mjs [runs] [--no-rebuild]   (after `trunk build --release` and
// `cargo build --release -p article-viewer-cli`; Pillow in .tools/pictures-venv, made if missing)
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../e2e/server.mjs';
import { CHROMIUM, ARGS } from '../e2e/browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'target', 'release', 'article-viewer-cli');
const DIST = path.resolve(process.env.AV_DIST || path.join(ROOT, 'dist'));
const DATA = path.join(ROOT, 'bench', '.data', 'pictures');
const VENV = path.join(ROOT, '.tools', 'pictures-venv');
const RUNS = +(process.argv[2] || 5);
const SITE = 'https://news.example/';
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mb = (n) => (n / 1e6).toFixed(2);

function python() {
  const py = path.join(VENV, 'bin', 'python');
  if (!fs.existsSync(py)) {
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(path.join(VENV, 'bin', 'pip'), ['install', '-q', 'pillow'], { stdio: 'inherit' });
  }
  return py;
}

/** The 8 photos (made once, kept in bench/.data). */
function photos() {
  const dir = path.join(DATA, 'photos');
  if (!fs.existsSync(path.join(dir, 'photo-8.jpg'))) {
    fs.mkdirSync(dir, { recursive: true });
    execFileSync(python(), [path.join(ROOT, 'bench', 'photos.py'), dir, '8', '5'], { stdio: 'inherit' });
  }
  return dir;
}

function articleSite(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'articles'), { recursive: true });
  fs.cpSync(photos(), path.join(dir, 'images'), { recursive: true });
  const para = (i) => `${i}번째 문단. ${'휴대전화로 찍은 사진 사이로 이어지는 본문이다. '.repeat(25)}`;
  const body = Array.from({ length: 7 }, (_, i) => `${para(i + 1)}\n\n![사진 ${i + 2}](../images/photo-${i + 2}.jpg "사진 ${i + 2}")`).join('\n\n');
  const article = { id: 'photos', title: '사진 여덟 장', language: 'ko', image: { src: '../images/photo-1.jpg', alt: '첫 사진' }, body };
  fs.writeFileSync(path.join(dir, 'articles', 'photos.json'), JSON.stringify(article));
  const entry = { id: 'photos', title: article.title, href: 'articles/photos.json', image: { src: 'images/photo-1.jpg', alt: '첫 사진' } };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ title: '사진', articles: [entry] }));
}

function build(content, out, extra = []) {
  fs.rmSync(out, { recursive: true, force: true });
  fs.cpSync(DIST, out, { recursive: true });
  const t = performance.now();
  const summary = execFileSync(CLI, ['build', '--content', content, '--dist', out, '--site', SITE, ...extra], { encoding: 'utf8' });
  return { ms: performance.now() - t, summary: summary.trim() };
}

/** One reading: picture bytes on arrival and after scrolling to the end, and the LCP time. */
async function read(browser, url, scale) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: scale, isMobile: true });
  // The hero painted: the frame after its picture (not the placeholder) has loaded. (The
  // largest-contentful-paint entry is no measure here: the story's text is larger on a phone.)
  await context.addInitScript(() => {
    document.addEventListener('load', (e) => {
      const t = e.target;
      if (t.tagName === 'IMG' && t.closest('.av-hero') && !t.classList.contains('av-ph')) {
        requestAnimationFrame(() => { window.__hero = performance.now(); });
      }
    }, true);
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 });
  const images = new Set();
  let bytes = 0;
  cdp.on('Network.responseReceived', (e) => { if (e.type === 'Image' && !e.response.url.startsWith('data:')) images.add(e.requestId); });
  cdp.on('Network.loadingFinished', (e) => { if (images.has(e.requestId)) bytes += e.encodedDataLength; });
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  await page.waitForFunction(() => window.__hero !== undefined, null, { timeout: 120000 });
  const lcp = await page.evaluate(() => window.__hero);
  const onArrival = bytes;
  // The reader scrolls through the story: every lazy picture comes.
  const height = await page.evaluate(() => document.body.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(50);
  }
  await page.waitForLoadState('networkidle', { timeout: 120000 });
  await page.evaluate(() => Promise.all([...document.images].map((i) => i.decode().catch(() => {}))));
  const whole = bytes;
  await context.close();
  return { lcp, onArrival, whole };
}

async function readings() {
  const content = path.join(DATA, 'article');
  articleSite(content);
  fs.rmSync(path.join(content, '.article-viewer-cache'), { recursive: true, force: true });
  const before = build(content, path.join(DATA, 'before'), ['--no-picture-copies']);
  const after = build(content, path.join(DATA, 'after'));
  const cached = build(content, path.join(DATA, 'after'));
  console.log(`build without copies: ${before.ms.toFixed(0)} ms; with copies, cold cache: ${after.ms.toFixed(0)} ms (${after.summary.split('; ').pop()}); again: ${cached.ms.toFixed(0)} ms (${cached.summary.split('; ').pop()})`);
  const original = fs.readdirSync(photos()).reduce((n, f) => n + fs.statSync(path.join(photos(), f)).size, 0);
  console.log(`the 8 photos: ${mb(original)} MB`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const rows = [];
  for (const scale of [3, 1]) {
    for (const [name, dir] of [['before', 'before'], ['after', 'after']]) {
      const server = await startServer({ root: path.join(DATA, dir) });
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await read(browser, `${server.url}/articles/photos.html`, scale));
      await server.close();
      rows.push({ scale, name, arrival: median(runs.map((r) => r.onArrival)), whole: median(runs.map((r) => r.whole)), lcp: median(runs.map((r) => r.lcp)) });
    }
  }
  await browser.close();
  console.log('\n| screen | build | picture bytes on arrival | picture bytes, whole story read | hero painted (median) |');
  console.log('|---|---|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| 390 px at ${r.scale}x | ${r.name} | ${mb(r.arrival)} MB | ${mb(r.whole)} MB | ${(r.lcp / 1000).toFixed(2)} s |`);
  }
  for (const scale of [3, 1]) {
    const [b, a] = rows.filter((r) => r.scale === scale);
    console.log(`390 px at ${scale}x: after / before = ${((100 * a.whole) / b.whole).toFixed(1)}% of the bytes (whole story), ${((100 * a.arrival) / b.arrival).toFixed(1)}% on arrival`);
  }
}

/** 1,000 pictured articles, then one more picture: how many pictures the rebuild encodes. */
function rebuild() {
  const content = path.join(DATA, 'thousand');
  const pics = path.join(DATA, 'thousand-pictures');
  if (!fs.existsSync(path.join(pics, 'photo-1001.jpg'))) {
    fs.rmSync(pics, { recursive: true, force: true });
    fs.mkdirSync(pics, { recursive: true });
    execFileSync(python(), ['-c', `
import sys
from PIL import Image, ImageDraw
for i in range(1, 1002):
    img = Image.new("RGB", (1200, 800), ((i * 37) % 256, (i * 91) % 256, (i * 53) % 256))
    d = ImageDraw.Draw(img)
    for k in range(12):
        d.ellipse(((i * k * 13) % 1100, (i * k * 29) % 700, (i * k * 13) % 1100 + 100, (i * k * 29) % 700 + 100), fill=((k * 40) % 256, (i * k) % 256, 128))
    img.save(f"${pics}/photo-{i}.jpg", quality=85)
`], { stdio: 'inherit' });
  }
  const write = (n) => {
    fs.rmSync(content, { recursive: true, force: true });
    fs.mkdirSync(path.join(content, 'articles'), { recursive: true });
    fs.mkdirSync(path.join(content, 'images'), { recursive: true });
    const entries = [];
    for (let i = 1; i <= n; i++) {
      fs.copyFileSync(path.join(pics, `photo-${i}.jpg`), path.join(content, 'images', `photo-${i}.jpg`));
      const a = { id: `a${i}`, title: `기사 ${i}`, image: { src: `../images/photo-${i}.jpg`, alt: `사진 ${i}` }, body: `본문 ${i}.` };
      fs.writeFileSync(path.join(content, 'articles', `a${i}.json`), JSON.stringify(a));
      entries.push({ id: a.id, title: a.title, href: `articles/a${i}.json`, image: { src: `images/photo-${i}.jpg`, alt: a.image.alt } });
    }
    fs.writeFileSync(path.join(content, 'index.json'), JSON.stringify({ title: '천 개', articles: entries }));
  };
  write(1000);
  const out = path.join(DATA, 'thousand-out');
  const first = build(content, out);
  // The cache survives rewriting the documents (it is keyed by the pictures' content).
  const cache = path.join(content, '.article-viewer-cache');
  const kept = path.join(DATA, 'thousand-cache');
  fs.rmSync(kept, { recursive: true, force: true });
  fs.renameSync(cache, kept);
  write(1001);
  fs.renameSync(kept, cache);
  const second = build(content, out);
  console.log(`\n1,000 pictured articles, first build: ${(first.ms / 1000).toFixed(1)} s (${first.summary.split('; ').pop()})`);
  console.log(`one article with one new picture added, rebuild: ${(second.ms / 1000).toFixed(1)} s (${second.summary.split('; ').pop()})`);
}

await readings();
if (!process.argv.includes('--no-rebuild')) rebuild();
