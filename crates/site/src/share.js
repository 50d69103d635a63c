(() => {
  // Copy link and share on a published article page (it loads no app). The buttons are hidden
  // in the page, as there is nothing to press without JavaScript; this script, right after the
  // story's header, shows the ones the browser can do. The address is the page's canonical one.
  const share = document.querySelector('.av-share');
  if (!share) return;
  const canonical = document.querySelector('link[rel=canonical]');
  const url = canonical ? canonical.href : location.href;
  const copy = share.querySelector('.av-copy-link');
  const native = share.querySelector('.av-share-button');
  const status = share.querySelector('.av-share-status');
  copy.hidden = !(navigator.clipboard && window.isSecureContext);
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(url).then(() => { status.textContent = status.dataset.done; }, () => { status.textContent = url; });
  });
  native.hidden = typeof navigator.share !== 'function';
  native.addEventListener('click', () => { navigator.share({ title: document.title, url }).catch(() => {}); });
  share.hidden = copy.hidden && native.hidden;
})();
