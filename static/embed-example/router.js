// The host site's own hash router: shows the section whose data-route matches location.hash.
(() => {
  const show = () => {
    const route = location.hash.replace(/^#/, '') || '/';
    for (const s of document.querySelectorAll("section[data-route]")) s.hidden = s.dataset.route !== route;
    document.body.dataset.current = route;
  };
  addEventListener('hashchange', show);
  addEventListener('DOMContentLoaded', show);
})();
