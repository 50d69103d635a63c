document.addEventListener('click', (e) => {
  // An embed's facade (crates/site/src/embeds.rs) is a link to the provider; one that may play
  // here carries its frame's address. A click (or Enter) puts that frame in its place: nothing
  // is fetched from the provider before. A click with a modifier opens the link, as links do.
  const a = e.target.closest('a[data-av-frame]');
  if (!a || e.button || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  const f = document.createElement('iframe');
  f.className = 'av-embed-frame';
  f.title = a.querySelector('.av-embed-title').textContent;
  f.allow = 'autoplay; encrypted-media; fullscreen; picture-in-picture';
  f.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation');
  f.src = a.dataset.avFrame;
  a.replaceWith(f);
  f.focus();
});
