// article-viewer start-up (scripts/startup.mjs): loads the app from beside this file.
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
      p.textContent = "이 페이지는 웹 서버로 열어야 합니다: 브라우저는 디스크에서 연 페이지(file://)의 스크립트와 문서 요청을 막습니다. 폴더에서 `python3 -m http.server 8000`을 실행한 뒤 http://localhost:8000/ 을 여세요. This page must be served over HTTP: browsers block scripts and document requests on pages opened from disk (file://). Run `python3 -m http.server 8000` in this folder and open http://localhost:8000/.";
      root.replaceChildren(p);
    }
    return;
  }
  // The app moves between pages with history.pushState; the icon's relative address must not
  // move with it (the browser resolves it again against each new address).
  for (const icon of document.querySelectorAll('link[rel~=icon]')) icon.setAttribute('href', icon.href);
  import(new URL('./article-viewer-25e1338e1b82a70b.js', here).href)
    .then((app) => app.default({ module_or_path: new URL('./article-viewer-25e1338e1b82a70b_bg.wasm', here) }))
    .catch((e) => console.error('article-viewer could not start:', e));
})();
