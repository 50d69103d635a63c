(() => {
  // The Editor's Pick box of a published article page: a native <details> that opens and
  // closes without the app. This runs right after the box is parsed (before the first paint)
  // to apply the reader's remembered choice, and remembers each new one. The entry and its
  // keys are the app's own (src/prefs.rs): FNV-1a 64 of the document's address, a 0 byte and
  // the article's id; "key:o" or "key:c", comma-separated, at most 200, newest last.
  const box = document.currentScript.previousElementSibling;
  const doc = document.querySelector('link[rel=alternate][type="application/json"]');
  const id = document.querySelector('meta[name="article-viewer:article"]');
  if (!box || box.tagName !== 'DETAILS' || !doc || !id) return;
  const STORE = 'article-viewer:picks';
  const utf8 = new TextEncoder();
  let h = 0xcbf29ce484222325n;
  for (const b of [...utf8.encode(new URL(doc.getAttribute('href'), location.href).href), 0, ...utf8.encode(id.content)]) {
    h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const key = h.toString(16).padStart(16, '0');
  const read = () => {
    let stored = '';
    try { stored = localStorage.getItem(STORE) || ''; } catch { /* storage refused: nothing remembered */ }
    return stored.split(',').map((item) => item.split(':')).filter(([k, s]) => /^[0-9a-f]{16}$/i.test(k) && (s === 'o' || s === 'c'));
  };
  const mine = () => read().reverse().find(([k]) => k === key)?.[1];
  const remembered = mine();
  if (remembered) box.open = remembered === 'o';
  box.addEventListener('toggle', () => {
    const state = box.open ? 'o' : 'c';
    if (mine() === state) return;
    const kept = read().filter(([k]) => k !== key).concat([[key, state]]).slice(-200);
    try { localStorage.setItem(STORE, kept.map((p) => p.join(':')).join(',')); } catch { /* not remembered */ }
  });
})();
