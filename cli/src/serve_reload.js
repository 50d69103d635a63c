// article-viewer-cli serve: added to every page of the preview, never to a built site. It
// reloads the page when the site changes, and shows a document that does not parse (the file
// and the place) over the page until it is fixed. Styles are set through the DOM, which the
// pages' policy (style-src 'self') allows.
(() => {
  const events = new EventSource('/__av/events');
  let box = null;
  const show = (message) => {
    if (!box) {
      box = document.createElement('div');
      box.id = 'av-serve-error';
      box.setAttribute('role', 'alert');
      Object.assign(box.style, {
        position: 'fixed', top: '0', left: '0', right: '0', zIndex: '2147483647', margin: '0',
        padding: '12px 16px', background: '#8b0000', color: '#fff', font: '14px/1.5 monospace',
        whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: '50vh', overflow: 'auto',
      });
      document.body.appendChild(box);
    }
    box.textContent = `article-viewer serve: this edit was not published; the page shows the last good site.\n\n${message}`;
  };
  // Tests (and the edit-to-visible benchmark) wait for this before they edit.
  events.addEventListener('open', () => { document.documentElement.dataset.avServe = 'open'; });
  // The files the site wrote (a JSON list of paths in the site), or "*" (all of it). A page
  // reloads when its own file is among them, or when it shows an error that is now fixed.
  const own = (() => {
    const rel = decodeURIComponent(location.pathname).replace(/^\//, '');
    return rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel;
  })();
  events.addEventListener('reload', (e) => {
    const files = JSON.parse(e.data);
    if (box || files === '*' || (Array.isArray(files) && files.includes(own))) location.reload();
  });
  events.addEventListener('broken', (e) => show(JSON.parse(e.data)));
})();
