// Trunk post-build hook: moves every inline script of index.html into a file of its own, so the
// page (and every page prerendered from it) runs under a strict Content-Security-Policy with
// `script-src 'self'` (docs/design/security.md, "The viewer"): no `'unsafe-inline'`.
//
// Trunk's own start-up (`import init from './x.js'; await init(...)`) becomes `start-<hash>.js`,
// a classic deferred script that finds the app next to itself, whatever the page's folder:
// a prerendered page one folder down loads the same files. Opened from disk (`file://`), where
// browsers refuse module scripts and fetch, it starts nothing: a prerendered page reads as it is,
// and the plain viewer page says how to serve the folder instead of staying blank.
// Release builds only: `trunk serve` (a debug build) adds a live-reload script whose server
// address it fills in as it serves index.html, so in a debug build that script stays inline and
// the page's policy is left out (the release build, which the tests use, keeps both strict).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('startup.mjs runs as a trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
const fail = (message) => {
  console.error(`startup.mjs: ${message}`);
  process.exit(1);
};

const files = fs.readdirSync(dir);
const js = files.find((f) => /^article-viewer-[0-9a-f]+\.js$/.test(f));
const wasm = files.find((f) => /^article-viewer-[0-9a-f]+_bg\.wasm$/.test(f));
if (!js || !wasm) fail(`build output not found in ${dir}: ${files.join(', ')}`);

const FROM_DISK = [
  '이 페이지는 웹 서버로 열어야 합니다: 브라우저는 디스크에서 연 페이지(file://)의 스크립트와 문서 요청을 막습니다. ',
  '폴더에서 `python3 -m http.server 8000`을 실행한 뒤 http://localhost:8000/ 을 여세요. ',
  'This page must be served over HTTP: browsers block scripts and document requests on pages opened from disk (file://). ',
  'Run `python3 -m http.server 8000` in this folder and open http://localhost:8000/.',
].join('');

const start = `// article-viewer start-up (scripts/startup.mjs): loads the app from beside this file.
(() => {
  const here = document.currentScript.src;
  if (location.protocol === 'file:') {
    const root = document.getElementById('article-viewer');
    // A prerendered page reads as it is; what needs the app (search, facets) is not shown.
    if (root) root.classList.add('av-static');
    if (root && !root.hasAttribute('data-prerendered')) {
      const p = document.createElement('p');
      p.className = 'av-error av-from-disk';
      p.setAttribute('role', 'alert');
      p.textContent = ${JSON.stringify(FROM_DISK)};
      root.replaceChildren(p);
    }
    return;
  }
  // The app moves between pages with history.pushState; the icon's relative address must not
  // move with it (the browser resolves it again against each new address).
  for (const icon of document.querySelectorAll('link[rel~=icon]')) icon.setAttribute('href', icon.href);
  import(new URL('./${js}', here).href)
    .then((app) => app.default({ module_or_path: new URL('./${wasm}', here) }))
    .catch((e) => console.error('article-viewer could not start:', e));
})();
`;

const hashed = (prefix, text) => `${prefix}-${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}.js`;

const release = process.env.TRUNK_PROFILE === 'release';
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');
let starts = 0;
html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/g, (tag, attrs, body) => {
  if (/\bsrc=/.test(attrs) || /type=["']?application\/(ld\+)?json/.test(attrs) || !body.trim()) return tag;
  const isStart = body.includes(js) && /\binit\b/.test(body);
  if (!isStart && !release) return tag;
  const code = isStart ? start : body;
  const name = hashed(isStart ? 'start' : 'inline', code);
  fs.writeFileSync(path.join(dir, name), code);
  if (isStart) starts++;
  // No integrity or crossorigin here: both make the request a CORS one, which a page opened
  // from disk cannot make, and the start-up must run there to say what to do.
  return `<script defer src="./${name}"></script>`;
});
if (starts !== 1) fail(`expected trunk's one start-up script in index.html, found ${starts}`);
if (!release) html = html.replace(/<meta[^>]*http-equiv=["']?Content-Security-Policy[^>]*>/i, '');
fs.writeFileSync(htmlPath, html);
console.log('startup: inline scripts moved into files; the page needs no script-src \'unsafe-inline\'');
