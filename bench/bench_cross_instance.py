"""A hold on instance A to the DOM of a browser on instance B, in real headless Chromium (issue 16's figure).

    .venv/bin/python bench/bench_cross_instance.py [--changes 60]

Starts two instances as the README runs them (``bench/two_instances.py``). Alice, on A, clicks
seats of the demo's grand hall one after another (hold, then release); Bob, on B, watches the same map. For
each change it records the moment of Alice's click and the moment Bob's seat element changed class (a
MutationObserver in Bob's page; both clocks are this machine's). Prints ``key=value`` lines: p50/p95/max of
click on A -> DOM on B, and, in the same run, click on A -> DOM on a second browser on A (the in-process path),
so the cost of crossing instances is a ratio within one run.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from playwright.async_api import Browser, Page, async_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_seatmap import (  # noqa: E402
    CLICK_SEAT,
    WATCH,
    open_map,
    register,
    seat_labels,
    wait_seen,
    wait_state,
)
from bench.common import grand_show, out, pct  # noqa: E402
from bench.two_instances import two_instances  # noqa: E402
from tests.e2e.app_process import CHROMIUM, CHROMIUM_ARGS  # noqa: E402


async def watcher(browser: Browser, url: str) -> Page:
    page = await (await browser.new_context(viewport={"width": 1440, "height": 900})).new_page()
    await open_map(page, url)
    await page.evaluate(WATCH)
    return page


async def measure(alice: Page, watchers: dict[str, Page], changes: int) -> dict[str, list[float]]:
    """Alice holds and releases seats; every watcher's DOM time minus Alice's click time, per watcher."""
    latencies: dict[str, list[float]] = {name: [] for name in watchers}
    labels = seat_labels((changes + 1) // 2)
    for i in range(changes):
        label = labels[i // 2]
        code_alice, code_other = ("m", "h") if i % 2 == 0 else ("a", "a")
        clicked = await alice.evaluate(CLICK_SEAT, label)
        for name, page in watchers.items():
            latencies[name].append(await wait_seen(page, label, code_other) - clicked)
        await wait_state(alice, label, code_alice)
    return latencies


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=60)
    args = parser.parse_args()
    # Alice picks seats one by one across a row: the single-seat rule has its own tests.
    with two_instances(single_seat_rule="false") as cluster:
        a, b = cluster.apps
        showtime_id = grand_show(cluster.backend.url).showtime_id
        out(showtime=showtime_id, instances=2, channel="redis")
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            alice = await (await browser.new_context(viewport={"width": 1440, "height": 900})).new_page()
            await register(alice, a)
            await open_map(alice, f"{a.url}/showtime/{showtime_id}")
            watchers = {"other_instance": await watcher(browser, f"{b.url}/showtime/{showtime_id}"),
                        "same_instance": await watcher(browser, f"{a.url}/showtime/{showtime_id}")}
            latencies = await measure(alice, watchers, args.changes)
            await browser.close()
    for name, values in latencies.items():
        out(**{f"click_a_to_dom_{name}_n": len(values),
               f"click_a_to_dom_{name}_ms_p50": pct(values, 0.5),
               f"click_a_to_dom_{name}_ms_p95": pct(values, 0.95),
               f"click_a_to_dom_{name}_ms_max": max(values)})
    other, same = latencies["other_instance"], latencies["same_instance"]
    out(cross_instance_p95_over_same_instance_p95=pct(other, 0.95) / pct(same, 0.95))

if __name__ == "__main__":
    asyncio.run(main())
