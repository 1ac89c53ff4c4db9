// Kiosk chrome: no context menu, no text selection or drag, no links or windows out of the kiosk,
// and every touch reported (throttled) so the server knows someone is still there.
(() => {
  if (window.__mmKiosk) return;
  window.__mmKiosk = true;
  const stop = (e) => { e.preventDefault(); e.stopPropagation(); };
  document.addEventListener("contextmenu", stop, true);
  document.addEventListener("selectstart", (e) => { if (!e.target.closest?.("input, textarea")) e.preventDefault(); }, true);
  document.addEventListener("dragstart", stop, true);
  document.addEventListener("click", (e) => {
    const a = e.target.closest?.("a[href]");
    if (a && !a.getAttribute("href").startsWith("/kiosk")) stop(e);
  }, true);
  // NiceGUI navigates with window.open(url, "_self"): allow that within the kiosk, nothing else.
  const open = window.open.bind(window);
  window.open = (url, target, ...rest) => {
    const path = new URL(String(url), location.href);
    const local = path.origin === location.origin && path.pathname.startsWith("/kiosk");
    return local && (!target || target === "_self") ? open(url, "_self", ...rest) : null;
  };
  // Ctrl/Cmd shortcuts (new window, print preview of the wrong page, zoom, address bar) do nothing here.
  document.addEventListener("keydown", (e) => {
    if ((e.ctrlKey || e.metaKey) && !["c", "v"].includes(e.key.toLowerCase())) stop(e);
  }, true);
  let last = 0;
  const touched = () => {
    const now = Date.now();
    if (now - last > 1500) { last = now; window.emitEvent?.("kiosk_touch"); }
  };
  ["pointerdown", "keydown", "wheel"].forEach((type) => document.addEventListener(type, touched, { passive: true, capture: true }));
  window.mmKioskFullscreen = () => {
    const el = document.documentElement;
    if (!document.fullscreenElement && el.requestFullscreen) el.requestFullscreen({ navigationUI: "hide" }).catch(() => {});
  };
  window.mmKioskExitFullscreen = () => { if (document.fullscreenElement) document.exitFullscreen().catch(() => {}); };
  window.mmKioskForget = () => {
    // Everything a customer could have left in this browser: storage, the selection, focus, the scroll.
    try { localStorage.clear(); } catch (err) { /* storage disabled */ }
    try {
      const keep = Object.keys(sessionStorage).filter((k) => k.startsWith("__nicegui"));
      const kept = keep.map((k) => [k, sessionStorage.getItem(k)]);
      sessionStorage.clear();
      kept.forEach(([k, v]) => sessionStorage.setItem(k, v));
    } catch (err) { /* storage disabled */ }
    window.getSelection?.().removeAllRanges();
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
  };
})();
