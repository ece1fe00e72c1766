"""How the map behaves in a real browser: time to show the results, then zoom smoothness.

Opens the map in Debian's Chromium (headless, nothing leaves the machine) at
1280 px and 360 px, waits until the map says it is ready (`data-loaded`), then
zooms in and out with the keyboard and reports the frame rate and the longest
frame. Run it against a running portal:

    .venv/bin/python bench/map_browser.py http://127.0.0.1:8000 /fr/carte/ "/fr/carte/?region=03"
"""

import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
ZOOM_AND_WATCH_FRAMES = """async () => {
  const map = document.getElementById('map');
  let last = performance.now(), worst = 0, frames = 0, running = true;
  function tick(now) {
    worst = Math.max(worst, now - last); last = now; frames++;
    if (running) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
  const start = performance.now();
  for (const key of ['+', '+', '+', '-', '-', '-']) {
    map.focus();
    map.dispatchEvent(new KeyboardEvent('keydown',
      {key, keyCode: key === '+' ? 187 : 189, bubbles: true}));
    await new Promise(resolve => setTimeout(resolve, 600));
  }
  running = false;
  return {worst, fps: frames / ((performance.now() - start) / 1000)};
}"""


def measure(base: str, paths: list[str]) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            for width in (1280, 360):
                # The portal's CSP forbids eval, which Playwright's own helpers use.
                context = browser.new_context(
                    bypass_csp=True, locale="fr-CA", viewport={"width": width, "height": 800}
                )
                page = context.new_page()
                start = time.perf_counter()
                page.goto(base + path)
                page.wait_for_selector("#map[data-loaded]", state="attached", timeout=180_000)
                ready = time.perf_counter() - start
                shown = page.get_attribute("#map", "data-loaded")
                zoom = page.evaluate(ZOOM_AND_WATCH_FRAMES)
                print(
                    f"{path} at {width} px: {shown} enterprises shown in {ready:.1f} s; "
                    f"zooming {zoom['fps']:.0f} frames/s, longest frame {zoom['worst']:.0f} ms"
                )
                context.close()
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    measure(sys.argv[1].rstrip("/"), sys.argv[2:])
