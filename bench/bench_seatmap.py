"""Live seat map bench: real headless Chromium against ``python main.py`` (embedded backend).

    .venv/bin/python bench/bench_seatmap.py [--changes 50] [--clients 200] [--renders 5]

Prints ``key=value`` lines:
- the phases a customer feels, warm browser cache, median of N loads, for the 2,070-seat grand hall's seat map
  (``map.*``) and the home page (``home.*``): first paint, first contentful paint, the page's content drawn,
  the seats painted, the largest contentful paint, NiceGUI's socket connected, and what the browser spent on
  style recalculation, layout and script (Chrome DevTools Protocol ``Performance.getMetrics``);
- time to the first full render of the demo's 2,070-seat grand hall (navigation start -> seats built and
  painted), cold and warm, and the grid's own build time in the browser;
- bytes: the layout prop (it travels once, inside the page's HTML, not over the websocket), the page,
  the websocket frames received while loading, and one websocket frame carrying one seat change;
- hold in browser A -> class change in browser B's DOM, p50/p95 over N changes (hold, release, ...);
- N raw Socket.IO clients (each a real NiceGUI client: its page was requested, so the server built the
  page and a subscribed SeatGrid for it; the socket then speaks NiceGUI's protocol without a browser):
  p95 time for one change to reach all of them, and the server's memory per connected client.

Why raw clients for the fan-out: 200 Chromium pages need ~10 GB and 200 renderer processes on 2 cores;
the server's work per viewer (client, elements, hub listener, one websocket emit per change) is the same.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import socketio
from playwright.async_api import Browser, Page, WebSocket, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import grand_show, out, pct  # noqa: E402
from tests.e2e.app_process import CHROMIUM, CHROMIUM_ARGS, RunningApp, start_app_at  # noqa: E402


# Browser helpers -----------------------------------------------------------------------------------------
async def open_map(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for_selector(".sg[data-ready]", state="attached", timeout=30_000)


async def register(page: Page, app: RunningApp) -> None:
    await page.goto(f"{app.url}/register")
    await page.get_by_label("Full name").fill("Bench Buyer")
    await page.get_by_label("Email").fill(f"bench.{uuid.uuid4().hex[:8]}@example.com")
    await page.get_by_label("Password (at least 8 characters)").fill("correct horse")
    await page.get_by_label("Confirm password").fill("correct horse")
    await page.get_by_role("button", name="Create account").click()
    await page.get_by_role("button", name="Account menu").wait_for()


CLICK_SEAT = """(label) => {
  const el = [...document.querySelectorAll('.sg-seat')].find(e => e.getAttribute('aria-label').startsWith(label));
  const t = performance.timeOrigin + performance.now();
  el.click();
  return t;
}"""
WATCH = """() => {
  window.__seen = [];
  new MutationObserver((records) => {
    const t = performance.timeOrigin + performance.now();
    for (const r of records) window.__seen.push([r.target.getAttribute('aria-label'), r.target.className, t]);
  }).observe(document.querySelector('.sg-plane'), {attributes: true, attributeFilter: ['class'], subtree: true});
}"""
SEEN = """([label, code]) => {
  const hit = window.__seen.find(([l, c]) => l && l.startsWith(label) && c.split(' ').includes('st-' + code));
  if (hit) window.__seen = window.__seen.filter(x => x !== hit && !(x[0] || '').startsWith(label));
  return hit ? hit[2] : null;
}"""
STATE = """(label) => [...document.querySelectorAll('.sg-seat')]
  .find(e => e.getAttribute('aria-label').startsWith(label)).className"""


async def wait_seen(page: Page, label: str, code: str, timeout: float = 10.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = await page.evaluate(SEEN, [label, code])
        if seen is not None:
            return float(seen)
        await asyncio.sleep(0.005)
    raise TimeoutError(f"{label} never became {code}")


async def wait_state(page: Page, label: str, code: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while f"st-{code}" not in (await page.evaluate(STATE, label)).split():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{label} never became {code} in A")
        await asyncio.sleep(0.005)


def seat_labels(count: int) -> list[str]:
    rows = ["W", "X", "Y", "Z"]
    return [f"Row {rows[i // 20]}, seat {i % 20 + 3}," for i in range(count)]


# The phases a customer feels ---------------------------------------------------------------------------------
# Installed before any page script runs: records NiceGUI's socket connecting (window.socket is assigned once,
# by nicegui.js) and the largest contentful paint as it grows, and marks "content-drawn" at the frame after
# the one in which the page's content element first had children (as the grid marks "seat-grid-painted").
PHASE_PROBE = """(() => {
  let sock;
  Object.defineProperty(window, 'socket', {configurable: true, get: () => sock, set: (value) => {
    sock = value;
    const first = () => performance.getEntriesByName('socket-connected').length === 0;
    value.on('connect', () => { if (first()) performance.mark('socket-connected'); });
  }});
  window.__lcp = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__lcp = Math.max(window.__lcp, entry.startTime);
  }).observe({type: 'largest-contentful-paint', buffered: true});
  const poll = () => {
    const content = document.querySelector('.nicegui-content');
    if (content && content.children.length) {
      requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('content-drawn')));
    } else requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
})()"""
PHASES = """() => {
  const mark = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : -1; };
  const paint = (n) => { const e = performance.getEntriesByName(n, 'paint')[0]; return e ? e.startTime : -1; };
  const nav = performance.getEntriesByType('navigation')[0];
  return {html_response_start: nav.responseStart, html_response_end: nav.responseEnd,
          first_paint: paint('first-paint'), first_contentful_paint: paint('first-contentful-paint'),
          content_drawn: mark('content-drawn'), seats_painted: mark('seat-grid-painted'),
          largest_contentful_paint: window.__lcp, socket_connected: mark('socket-connected'),
          seats: document.querySelectorAll('.sg-seat').length};
}"""
CDP_METRICS = {"RecalcStyleCount": "style_recalcs", "RecalcStyleDuration": "style_recalc",
               "LayoutCount": "layouts", "LayoutDuration": "layout", "ScriptDuration": "script",
               "TaskDuration": "main_thread_busy"}


async def measure_phases(browser: Browser, name: str, url: str, runs: int, ready: str) -> None:
    """Median phases over ``runs`` warm loads (one browser context: its HTTP cache is warm after a first load)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    await context.add_init_script(PHASE_PROBE)
    results: list[dict[str, float]] = []
    for run in range(runs + 1):
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        await page.goto(url)
        await page.wait_for_function(f"performance.getEntriesByName('{ready}').length > 0 && "
                                     "performance.getEntriesByName('socket-connected').length > 0", timeout=30_000)
        await asyncio.sleep(1.0)  # late paints (images) become the largest contentful paint
        phases = await page.evaluate(PHASES)
        metrics = {m["name"]: m["value"] for m in (await cdp.send("Performance.getMetrics"))["metrics"]}
        for key, label in CDP_METRICS.items():
            phases[label] = metrics.get(key, -1) * (1000 if key.endswith("Duration") else 1)
        if run:  # the first load fills the cache
            results.append(phases)
        await page.close()
    await context.close()
    medians = {key: statistics.median(r[key] for r in results) for key in results[0]}
    if name == "map":
        medians["live"] = statistics.median(max(r["seats_painted"], r["socket_connected"]) for r in results)
    else:
        medians.pop("seats_painted")
        medians.pop("seats")
        medians["live"] = statistics.median(max(r["content_drawn"], r["socket_connected"]) for r in results)
    out(**{f"{name}.{key}_ms" if key not in ("seats", "style_recalcs", "layouts") else f"{name}.{key}": value
           for key, value in medians.items()}, **{f"{name}.runs": len(results)})


# The measurements ----------------------------------------------------------------------------------------
async def measure_render(browser: Browser, url: str, runs: int) -> None:
    results = []
    for _ in range(runs):
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        page = await context.new_page()
        ws_bytes: list[int] = []

        def count_frames(ws: WebSocket, sink: list[int] = ws_bytes) -> None:
            ws.on("framereceived", lambda payload: sink.append(len(payload)))

        page.on("websocket", count_frames)
        await open_map(page, url)
        await page.wait_for_function("performance.getEntriesByName('seat-grid-painted').length > 0")
        marks = await page.evaluate("""() => {
          const m = (n) => performance.getEntriesByName(n)[0].startTime;
          return {ready: m('seat-grid-ready'), painted: m('seat-grid-painted'),
                  build: m('seat-grid-ready') - m('seat-grid-build-start'),
                  seats: document.querySelectorAll('.sg-seat').length,
                  html: performance.getEntriesByType('navigation')[0].transferSize};
        }""")
        await asyncio.sleep(0.3)
        results.append(marks | {"ws": sum(ws_bytes)})
        await context.close()
    warm = results[1:] or results
    out(seats_rendered=results[0]["seats"],
        first_render_ms_cold=results[0]["painted"],
        first_render_ms_warm_median=statistics.median(r["painted"] for r in warm),
        grid_build_ms_median=statistics.median(r["build"] for r in results),
        page_html_bytes=results[0]["html"],
        ws_bytes_received_while_loading=statistics.median(r["ws"] for r in warm))


async def measure_zoom(page: Page) -> None:
    frames = await page.evaluate("""async () => {
      const grid = getElement(document.querySelector('.sg'));
      const times = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        grid.zoomBy(i < 30 ? 1.04 : 1 / 1.04);
        await new Promise(r => requestAnimationFrame(r));
        const now = performance.now(); times.push(now - last); last = now;
      }
      grid.fit(true);
      return times;
    }""")
    out(zoom_frame_ms_p50=pct(frames, 0.5), zoom_frame_ms_p95=pct(frames, 0.95))


async def measure_live(browser: Browser, app: RunningApp, url: str, changes: int) -> Page:
    a_context = await browser.new_context(viewport={"width": 1440, "height": 900})
    alice = await a_context.new_page()
    await register(alice, app)
    await open_map(alice, url)
    bob = await (await browser.new_context(viewport={"width": 1440, "height": 900})).new_page()
    frames: list[tuple[float, str]] = []
    bob.on("websocket", lambda ws: ws.on("framereceived", lambda p: frames.append((time.monotonic(), str(p)))))
    await open_map(bob, url)
    await bob.evaluate(WATCH)
    await measure_zoom(bob)
    latencies = []
    labels = seat_labels((changes + 1) // 2)
    for i in range(changes):
        label = labels[i // 2]
        code_a, code_b = ("m", "h") if i % 2 == 0 else ("a", "a")
        clicked = await alice.evaluate(CLICK_SEAT, label)
        seen = await wait_seen(bob, label, code_b)
        latencies.append(seen - clicked)
        await wait_state(alice, label, code_a)
    change_frames = [len(payload.encode()) for _, payload in frames if "applyChanges" in payload]
    out(live_changes=len(latencies), hold_to_other_dom_ms_p50=pct(latencies, 0.5),
        hold_to_other_dom_ms_p95=pct(latencies, 0.95), hold_to_other_dom_ms_max=max(latencies),
        ws_frame_bytes_one_seat_change=statistics.median(change_frames),
        ws_frame_bytes_one_seat_change_max=max(change_frames))
    return alice


async def measure_fanout(app: RunningApp, alice: Page, url: str, clients: int, rounds: int) -> None:
    arrivals: dict[str, list[float]] = {}
    sockets: list[socketio.AsyncClient] = []

    async def viewer(session: aiohttp.ClientSession) -> None:
        async with session.get(url) as response:
            html = await response.text()
        client_id = re.search(r"'client_id': '([0-9a-f-]+)'", html).group(1)  # type: ignore[union-attr]
        sio = socketio.AsyncClient(reconnection=False)

        @sio.on("run_javascript")
        async def on_js(data: dict[str, Any]) -> None:
            code = data.get("code", "")
            if "applyChanges" in code:
                now = time.time() * 1000
                for seat_id in re.findall(r'\["([A-Z]+\d+)",\s*"[a-z]"\]', code):
                    arrivals.setdefault(seat_id, []).append(now)

        query = {"client_id": client_id, "tab_id": str(uuid.uuid4()), "document_id": str(uuid.uuid4()),
                 "next_message_id": "0", "implicit_handshake": "true"}
        await sio.connect(f"{app.url}?{'&'.join(f'{k}={v}' for k, v in query.items())}",
                          socketio_path="/_nicegui_ws/socket.io", transports=["websocket"])
        sockets.append(sio)

    await asyncio.sleep(2)
    rss_before = app.rss_kb()
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        for start in range(0, clients, 10):
            await asyncio.gather(*(viewer(session) for _ in range(start, min(clients, start + 10))))
    connect_s = time.monotonic() - started
    await asyncio.sleep(3)
    rss_after = app.rss_kb()
    spreads, reach, medians, own = [], [], [], []
    await alice.evaluate(WATCH)
    for label_index, label in enumerate(seat_labels(80)[40 : 40 + rounds]):
        seat_id = re.match(r"Row (\w+), seat (\d+),", label).expand(r"\1\2")  # type: ignore[union-attr]
        clicked = await alice.evaluate(CLICK_SEAT, label)
        deadline = time.monotonic() + 10
        while len(arrivals.get(seat_id, [])) < clients and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        got = arrivals.get(seat_id, [])
        if len(got) < clients:
            print(f"# round {label_index}: only {len(got)} of {clients} viewers heard of {seat_id}", flush=True)
        reach += [t - clicked for t in got]
        medians.append(round(statistics.median(t - clicked for t in got)) if got else -1)
        spreads.append(max(got) - min(got) if got else 0.0)
        own.append(round(await wait_seen(alice, label, "m") - clicked))
        await alice.evaluate(CLICK_SEAT, label)  # release again (another change everyone hears)
        await wait_state(alice, label, "a")
        await asyncio.sleep(0.2)
    out(fanout_clients=len(sockets), fanout_connect_s=connect_s,
        fanout_change_to_all_ms_p50=pct(reach, 0.5), fanout_change_to_all_ms_p95=pct(reach, 0.95),
        fanout_spread_first_to_last_ms_median=statistics.median(spreads),
        fanout_round_medians_ms=",".join(map(str, medians)),
        fanout_round_picker_own_ms=",".join(map(str, own)),
        server_rss_mb_before=rss_before / 1024, server_rss_mb_after=rss_after / 1024,
        server_memory_kb_per_client=(rss_after - rss_before) / max(1, len(sockets)))
    await asyncio.gather(*(sio.disconnect() for sio in sockets), return_exceptions=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=50)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=20, help="changes sent to all the raw clients")
    parser.add_argument("--snapshot-seconds", type=float, default=3600,
                        help="the embedded backend's save interval; a save holds every request for ~1 s, which "
                             "would show up here as seat-map latency (use 30, the default of the app, to see it)")
    parser.add_argument("--phases-only", action="store_true",
                        help="only the page-load phases of the seat map and the home page (~1 minute)")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="the checkout whose main.py runs (e.g. /work/main to measure it before a change)")
    args = parser.parse_args()
    out(embedded_snapshot_seconds=args.snapshot_seconds)
    with tempfile.TemporaryDirectory() as data_dir:
        app = await asyncio.to_thread(start_app_at, args.root, Path(data_dir),
                                    snapshot_seconds=str(args.snapshot_seconds))
        try:
            endpoint = re.search(r"event=embedded.started endpoint=(\S+)", app.log())
            assert endpoint, "the app logs its embedded backend's endpoint"
            show = grand_show(endpoint.group(1))
            showtime_id, seats = show.showtime_id, show.seats
            out(showtime=showtime_id, hall_seats=seats)
            url = f"{app.url}/showtime/{showtime_id}"
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                page = await response.text()
            props = re.search(r'"layout":(\{.*?\}),"status"', page)
            out(layout_prop_bytes=len(props.group(1).encode()) if props else "n/a",
                layout_prop_bytes_if_one_dict_per_seat=len(json.dumps([
                    {"seat_id": f"AA{i}", "row": "AA", "number": i, "grid_row": 40, "grid_col": i, "category": "prime",
                     "category_name": "Prime", "price": 45000, "kind": "standard", "status": "available"}
                    for i in range(seats)]).encode()))
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                await measure_phases(browser, "map", url, args.renders, "seat-grid-painted")
                await measure_phases(browser, "home", f"{app.url}/", args.renders, "content-drawn")
                if args.phases_only:
                    await browser.close()
                    return
                await measure_render(browser, url, args.renders)
                alice = await measure_live(browser, app, url, args.changes)
                await measure_fanout(app, alice, url, args.clients, args.rounds)
                await browser.close()
        finally:
            app.stop()


if __name__ == "__main__":
    asyncio.run(main())
