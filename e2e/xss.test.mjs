// The XSS corpus (e2e/data/xss-payloads.json): every payload in every string field, in the body
// as Markdown, inline HTML and link/image URLs, and in a collection. Nothing may run, and the
// viewer's DOM may hold no event-handler attribute, no active element and no unsafe URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, viewerPage, withoutCsp } from './server.mjs';
import { launch, openPage } from './browser.mjs';

const corpus = JSON.parse(fs.readFileSync(new URL('./data/xss-payloads.json', import.meta.url), 'utf8'));
let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

function article(p) {
  const s = p.payload;
  const card = (n) => ({
    id: `c${n}`, title: s, summary: s, href: s, url: s, tags: [s], published: s,
    image: { src: s, alt: s }, authors: [{ name: s, url: s, avatar: s }],
    editors_pick: { title: s, items: [s, `[link](${s})`] },
  });
  return {
    id: `xss-${p.id}`, title: s, subtitle: s, language: s, url: s, published: s, updated: s,
    authors: [{ name: s, title: s, url: s, avatar: s }], tags: [s, 'ok'],
    image: { src: s, alt: s, caption: `${s} [credit](${s})` },
    editors_pick: { title: s, items: [s, `**${s}**`, `[x](${s})`] },
    body: [
      s, `문단 ${s} 끝`, `[링크](${s})`, `![그림](${s})`, `![그림](${s} "${s}")`, `<${s}>`,
      `[ref][r]\n\n[r]: ${s}`, `> [!NOTE]\n> ${s}`, `| a | b |\n|---|---|\n| ${s} | x |`, `- ${s}`,
      `각주[^n]\n\n[^n]: ${s}`, `## ${s}`,
    ].join('\n\n'),
    related: [card(1), card(2)],
  };
}

function collection(p) {
  const s = p.payload;
  return {
    title: s, description: s, language: 'ko',
    articles: [{
      id: 'a', title: s, summary: s, href: s, url: s, tags: [s], image: { src: s, alt: s },
      authors: [{ name: s, url: s, avatar: s }], editors_pick: { title: s, items: [s] }, published: s,
    }, { id: 'b', title: `${s} 둘`, url: s }],
  };
}

// Checked inside the page: the viewer's subtree only.
function audit() {
  const root = document.getElementById('article-viewer');
  const bad = [];
  const banned = /^(script|iframe|object|embed|frame|frameset|svg|math|style|link|meta|base|form|template|noscript|applet|portal)$/i;
  const okUrl = (u) => /^(https?:|mailto:)/i.test(u) || /^data:image\/(png|gif|jpeg|jpg|webp)[;,]/i.test(u);
  for (const el of root.querySelectorAll('*')) {
    if (banned.test(el.localName)) bad.push(`<${el.localName}>`);
    for (const a of el.attributes) {
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(`${el.localName}[${name}]`);
      if (['style', 'srcset', 'srcdoc', 'action', 'formaction', 'xlink:href', 'background', 'poster'].includes(name)) {
        bad.push(`${el.localName}[${name}]`);
      }
    }
    if (el.hasAttribute('href') && !okUrl(el.href)) bad.push(`href=${el.getAttribute('href')}`);
    if (el.hasAttribute('src') && !okUrl(el.src)) bad.push(`src=${el.getAttribute('src')}`);
  }
  return bad;
}

test(`no payload of ${corpus.count} runs or leaves an unsafe trace, in articles and collections`, { timeout: 600_000 }, async () => {
  assert.ok(corpus.payloads.length >= 150);
  const page = await openPage(browser.context);
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  await page.addInitScript(() => {
    window.__ran = [];
    window.__xss = (n) => window.__ran.push(n);
  });
  // The viewer page without its Content-Security-Policy: the policy would stop an inline handler
  // by itself, and this test is about what the viewer creates (a host page may have no policy).
  viewerPage(server, '/xss.html', withoutCsp);
  await page.goto(`${server.url}/xss.html?src=samples/index.json`);
  await page.waitForSelector('.av-collection');
  // The detectors work: a handler that does run is seen, and the audit sees a planted handler.
  await page.evaluate(() => new Promise((r) => {
    const probe = document.createElement('div');
    probe.innerHTML = '<img src="/nope.png" onerror="__xss(-1)">';
    probe.querySelector('img').addEventListener('error', () => setTimeout(r, 0));
    document.body.append(probe);
  }));
  assert.deepEqual(await page.evaluate(() => window.__ran.splice(0)), [-1]);
  const planted = await page.evaluate((auditSrc) => {
    const a = document.createElement('a');
    a.setAttribute('href', 'javascript:void 0');
    a.setAttribute('onmouseover', 'x');
    document.querySelector('.av-collection').append(a);
    const found = (0, eval)(`(${auditSrc})`)();
    a.remove();
    return found;
  }, audit.toString());
  assert.deepEqual(planted, ['a[onmouseover]', 'href=javascript:void 0']);
  const failures = [];
  for (const p of corpus.payloads) {
    for (const [kind, doc] of [['article', article(p)], ['collection', collection(p)]]) {
      const path = `/_xss/${p.id}-${kind}.json`;
      server.docs.set(path, { body: JSON.stringify(doc) });
      // Navigate inside the app (popstate), as a reader following links would: no reload.
      await page.evaluate((src) => {
        history.pushState(null, '', `?src=${encodeURIComponent(src)}`);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      // Wait for this document's own headline (the title holds the payload, as text).
      await page.waitForFunction(([sel, title]) => document.querySelector(sel)?.textContent === title ||
        document.querySelector('.av-error'), [kind === 'article' ? 'h1.av-title' : 'h1.av-collection-title', p.payload], { timeout: 10000 });
      // Let image errors and the like fire.
      await page.evaluate(() => new Promise((r) => setTimeout(r, 25)));
      const bad = await page.evaluate(audit);
      const shown = await page.evaluate(() => document.querySelector('.av-error') ? 'error' : 'ok');
      if (bad.length) failures.push(`#${p.id} ${kind}: ${bad.join(', ')}`);
      if (shown === 'error') failures.push(`#${p.id} ${kind}: refused instead of shown`);
    }
  }
  const ran = await page.evaluate(() => window.__ran);
  assert.deepEqual(ran, [], `payloads ran: ${ran.join(', ')}`);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(failures, []);
  // The escaped text is really there: a payload is shown, not dropped.
  const sample = corpus.payloads.find((p) => p.kind === 'html');
  server.docs.set('/_xss/shown.json', { body: JSON.stringify(article(sample)) });
  await page.goto(`${server.url}/xss.html?src=/_xss/shown.json`);
  await page.waitForSelector('h1.av-title');
  assert.equal(await page.evaluate(() => document.querySelector('h1.av-title').textContent), sample.payload);
  await page.close();
});
