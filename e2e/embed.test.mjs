// Embedding: the module is served from another origin than the host page, as on a real site
// that loads the viewer from a CDN or its own static host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';
import { axeViolations, launch, launchBrowser, openPage } from './browser.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let viewer, host, browser;
before(async () => {
  viewer = await startServer({ headers: { 'access-control-allow-origin': '*' } });
  host = await startServer({ root: '/nonexistent' });
  browser = await launch();
});
after(async () => { await browser?.close(); await viewer?.close(); await host?.close(); });

// The host's ordinary, heavy-handed CSS and its own hash router.
const HOST_PAGE = (withScript) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<link rel="icon" href="data:,">
<style>
  * { box-sizing: content-box; }
  body { font-family: Georgia, serif; color: rgb(10, 20, 30); line-height: 1.1; letter-spacing: 2px; }
  h1 { font-size: 60px; } p { color: red; } a { color: green; font-weight: 900; }
  button { background: hotpink; } img { border: 4px solid orange; }
  #story { --av-accent: rgb(139, 0, 0); }
</style>
<script>
  window.hostEvents = [];
  addEventListener('TrunkApplicationStarted', () => hostEvents.push('trunk'));
  const show = () => { document.body.dataset.route = location.hash || '#/'; };
  addEventListener('hashchange', show); addEventListener('DOMContentLoaded', show);
</script>
${withScript ? `<script type="module" src="${viewer.url}/article-viewer.js"></script>` : ''}
</head><body>
<nav><a id="home" href="#/">Home</a> <a id="about" href="#/about">About</a></nav>
<h1 id="host-title">Host headline</h1><p id="host-p">Host paragraph</p><button id="host-button">Host</button>
<div id="story" data-article-viewer data-src="${viewer.url}/samples/articles/kitchen-sink.json"></div>
<div id="list" data-article-viewer data-src="${viewer.url}/samples/index.json" data-theme="dark" data-lang="en"></div>
</body></html>`;

async function hostPage() {
  host.docs.set('/host.html', { body: HOST_PAGE(false), type: 'text/html' });
  const page = await openPage(browser.context);
  await page.goto(`${host.url}/host.html`);
  return page;
}

const shadowCount = (page, id, selector) =>
  page.evaluate(([id, sel]) => document.getElementById(id).shadowRoot?.querySelectorAll(sel).length ?? -1, [id, selector]);

async function loadViewer(page) {
  await page.addScriptTag({ url: `${viewer.url}/article-viewer.js`, type: 'module' });
  await page.waitForFunction(() =>
    document.getElementById('story').shadowRoot?.querySelector('.av-article h1') &&
    document.getElementById('list').shadowRoot?.querySelector('.av-collection .av-card'), null, { timeout: 20000 });
}

// Every computed property of the host's own elements, except the few that are resolved from the
// layout (an element's used width changes when the page grows a scrollbar, whoever adds content).
const LAYOUT = new Set(['width', 'height', 'inline-size', 'block-size', 'perspective-origin', 'transform-origin']);
const hostStyles = (page) => page.evaluate((layout) => {
  const out = {};
  for (const el of [document.documentElement, document.body, ...document.querySelectorAll('nav, a, h1, p, button')]) {
    const cs = getComputedStyle(el);
    for (const k of Array.from(cs)) if (!layout.includes(k)) out[`${el.id || el.tagName} ${k}`] = cs.getPropertyValue(k);
  }
  return out;
}, [...LAYOUT]);
const diff = (a, b) => Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} -> ${b[k]}`);

test('both instances render from another origin, and the host page is untouched', async () => {
  const page = await hostPage();
  const globalsBefore = await page.evaluate(() => Object.keys(window).sort());
  const stylesBefore = await hostStyles(page);
  await loadViewer(page);
  assert.ok(await shadowCount(page, 'story', '.av-body h2') >= 2);
  assert.ok(await shadowCount(page, 'list', '.av-card') >= 6);
  assert.deepEqual(diff(stylesBefore, await hostStyles(page)), [], 'host computed styles changed');
  assert.deepEqual(await page.evaluate(() => Object.keys(window).sort()), globalsBefore, 'new globals on window');
  assert.equal(await page.evaluate(() => 'wasmBindings' in window), false);
  assert.deepEqual(await page.evaluate(() => window.hostEvents), []);
  // The host's CSS does not reach inside.
  const inside = await page.evaluate(() => {
    const root = document.getElementById('story').shadowRoot;
    const cs = (sel) => getComputedStyle(root.querySelector(sel));
    return {
      h1: cs('h1.av-title').fontSize, p: cs('.av-body p').color, a: cs('.av-body a').fontWeight,
      box: cs('.av-article').boxSizing, font: cs('.av-article').fontFamily, spacing: cs('.av-body p').letterSpacing,
      button: cs('summary.av-pick-toggle').backgroundColor, accent: cs('.av-body a').color,
    };
  });
  assert.notEqual(inside.h1, '60px');
  assert.notEqual(inside.p, 'rgb(255, 0, 0)');
  assert.notEqual(inside.a, '900');
  assert.equal(inside.box, 'border-box');
  assert.doesNotMatch(inside.font, /Georgia/);
  assert.equal(inside.spacing, 'normal');
  assert.notEqual(inside.button, 'rgb(255, 105, 180)');
  assert.equal(inside.accent, 'rgb(139, 0, 0)', 'theming through custom properties on the element');
  // data-theme="dark" and data-lang="en" on the second instance.
  const dark = await page.evaluate(() => getComputedStyle(document.getElementById('list').shadowRoot.querySelector('.av-viewer')).colorScheme);
  assert.equal(dark, 'dark');
  assert.match(await page.evaluate(() => document.getElementById('list').shadowRoot.querySelector('.av-count').textContent), /articles$/);
  // Without data-theme, the scheme follows the reader's preference.
  const background = () => page.evaluate(() => getComputedStyle(document.getElementById('story').shadowRoot.querySelector('.av-viewer')).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await background(), 'rgb(255, 255, 255)');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await background(), 'rgb(17, 19, 23)');
  await page.emulateMedia({ colorScheme: 'light' });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('using an embed never changes the host URL, and the host hash router keeps working', async () => {
  const page = await hostPage();
  await loadViewer(page);
  const start = page.url();
  const entries = await page.evaluate(() => history.length);
  const story = page.locator('#story');
  await story.locator('summary.av-pick-toggle').click();
  assert.equal(await story.locator('details.av-pick').evaluate((d) => d.open), false);
  await story.locator('a.av-fnref').first().click();
  // A related card opens inside the embed, and the embed's own back button returns.
  const card = story.locator('.av-related a.av-card-link[href*="src="]').first();
  const title = await card.innerText();
  assert.match(await card.getAttribute('href'), new RegExp(`^${viewer.url}/index\\.html\\?src=`), 'a real link to the standalone viewer');
  await card.click();
  await page.waitForFunction((t) => document.getElementById('story').shadowRoot.querySelector('h1.av-title')?.textContent === t, title);
  assert.equal(page.url(), start);
  await story.locator('button.av-back').click();
  await page.waitForFunction(() => document.getElementById('story').shadowRoot.querySelector('h1.av-title')?.textContent.startsWith('키친 싱크'));
  await page.locator('#list').locator('a.av-card-link[href*="src="]').first().click();
  await page.waitForFunction(() => document.getElementById('list').shadowRoot.querySelector('.av-article'));
  assert.equal(page.url(), start, 'the host URL did not change');
  assert.equal(await page.evaluate(() => history.length), entries, 'no history entries added');
  // hashchange arrives after the click returns: wait for the host router, then check.
  const routed = (route) => page.waitForFunction((r) => document.body.dataset.route === r, route, { timeout: 5000 });
  await page.click('#about');
  await routed('#/about');
  await page.click('#home');
  await routed('#/');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an instance added later mounts; removing one leaves no listeners behind', async () => {
  const page = await hostPage();
  await loadViewer(page);
  const cdp = await page.context().newCDPSession(page);
  const listeners = async () => {
    const counts = {};
    for (const expr of ['window', 'document', 'document.documentElement', 'document.body']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: expr });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      counts[expr] = listeners.map((l) => l.type).sort().join(',');
    }
    return counts;
  };
  const before = await listeners();
  await page.evaluate((src) => {
    const el = document.createElement('div');
    el.id = 'late';
    el.setAttribute('data-article-viewer', '');
    el.setAttribute('data-src', src);
    document.body.append(el);
  }, `${viewer.url}/samples/articles/passkey-phishing.json`);
  await page.waitForFunction(() => document.getElementById('late').shadowRoot?.querySelector('h1.av-title'), null, { timeout: 15000 });
  await page.locator('#late summary.av-pick-toggle').click();
  await page.evaluate(() => document.getElementById('late').remove());
  await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
  assert.deepEqual(await listeners(), before);
  // Put back, it mounts again; the other instances never noticed.
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.id = 'again';
    el.setAttribute('data-article-viewer', '');
    el.setAttribute('data-src', document.getElementById('story').getAttribute('data-src'));
    document.body.append(el);
  });
  await page.waitForFunction(() => document.getElementById('again').shadowRoot?.querySelector('h1.av-title'), null, { timeout: 15000 });
  assert.ok(await shadowCount(page, 'list', '.av-card') >= 6);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the example host page works under a strict CSP with no violation', async () => {
  const page = await openPage(browser.context);
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${viewer.url}/embed-example/`);
  await page.waitForFunction(() =>
    document.getElementById('story').shadowRoot?.querySelector('.av-article h1') &&
    document.getElementById('list').shadowRoot?.querySelector('.av-card'), null, { timeout: 20000 });
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
  assert.equal(csp, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'");
  // The embed's stylesheet applied (a CSP block would leave it unstyled).
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('story').shadowRoot.querySelector('.av-pick')).borderTopStyle), 'solid');
  // The site's theming variable reached the viewer.
  assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('story').shadowRoot.querySelector('.av-pick')).borderTopLeftRadius), '4px');
  await page.click('a[href="#/about"]');
  // The example's router answers hashchange, which arrives after the click returns.
  await page.locator('section[data-route="/about"]').waitFor({ state: 'visible', timeout: 5000 });
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(page.problems.filter((p) => !/favicon|Failed to load resource/.test(p)), []);
  await page.close();
});

test('with data-url-sync an embed keeps its view in the host URL, and back returns', async () => {
  host.docs.set('/synced.html', { type: 'text/html', body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <link rel="icon" href="data:,"><script type="module" src="${viewer.url}/article-viewer.js"></script></head>
    <body><div id="synced" data-article-viewer data-url-sync="on" data-url-param="story"
    data-src="${viewer.url}/samples/index.json" data-allowed-origins="${viewer.url}"></div></body></html>` });
  const page = await openPage(browser.context);
  await page.goto(`${host.url}/synced.html?keep=1`);
  const card = page.locator('#synced a.av-card-link[href*="story="]').first();
  await card.waitFor({ timeout: 20000 });
  const title = await card.innerText();
  await card.click();
  await page.waitForFunction((t) => document.getElementById('synced').shadowRoot.querySelector('h1.av-title')?.textContent === t, title);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('keep'), '1', "the host's own parameters stay");
  assert.match(url.searchParams.get('story'), /\/samples\/articles\/.+\.json$/);
  // A reload restores the article from the host URL; back returns to the collection.
  await page.reload();
  await page.waitForFunction((t) => document.getElementById('synced')?.shadowRoot?.querySelector('h1.av-title')?.textContent === t, title, { timeout: 20000 });
  await page.goBack();
  await page.waitForFunction(() => document.getElementById('synced').shadowRoot.querySelector('.av-collection'));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the example reserves its viewers\' space (CLS ≤ 0.05 at 390 and 1280 px) and passes axe in both schemes', async () => {
  const contexts = await launchBrowser();
  try {
    for (const [width, height] of [[390, 844], [1280, 900]]) {
      for (const colorScheme of ['light', 'dark']) {
        // axe is added by the test itself, past the page's own policy.
        const context = await contexts.newContext({ viewport: { width, height }, colorScheme, bypassCSP: true });
        const page = await openPage(context);
        try {
          await page.addInitScript(() => {
            window.__cls = 0;
            new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
              .observe({ type: 'layout-shift', buffered: true });
          });
          await page.goto(`${viewer.url}/embed-example/`);
          await page.waitForFunction(() =>
            document.getElementById('story').shadowRoot?.querySelector('.av-article .av-body p') &&
            document.getElementById('list').shadowRoot?.querySelector('.av-card img'), null, { timeout: 20000 });
          await page.waitForLoadState('networkidle');
          const cls = await page.evaluate(() => window.__cls);
          assert.ok(cls <= 0.05, `CLS ${cls.toFixed(3)} at ${width} px, ${colorScheme}`);
          const found = await axeViolations(page);
          assert.deepEqual(found, [], `${width} px, ${colorScheme}`);
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await contexts.close();
  }
});
