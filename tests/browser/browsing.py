"""What the browser tests do in a page: check accessibility, wait for images, take screenshots, read focus."""

import io
import os
from pathlib import Path

from conftest import pdf_fonts, pdf_text  # noqa: F401 -- the suite's PDF readers, for the browser stories

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture then skips every test and says why
    expect = None

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
CHROMIUM = Path(os.environ.get("LETTERHOUSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = PROJECT / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000  # a shared two-core machine renders slowly when everyone tests at once


def serious_accessibility_violations(page):
    """Run axe-core on the page and return its serious and critical violations, readably."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def wait_for_images(page, selector="img"):
    """Wait until every image matching selector on the page has loaded, and check none is broken."""
    page.evaluate("""async (selector) => {
        const images = [...document.querySelectorAll(selector)];
        images.forEach((image) => { image.loading = 'eager'; });
        await Promise.all(images.map((image) => image.decode().catch(() => null)));
    }""", selector)
    broken = page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.src)""", selector)
    assert broken == [], f"images that did not load: {broken}"


def screenshots_wanted():
    """Return whether this run should write docs/screenshots/ (`make screenshots` sets LETTERHOUSE_SCREENSHOTS=1)."""
    return os.environ.get("LETTERHOUSE_SCREENSHOTS", "").strip().lower() in ("1", "true", "yes")


def screenshot(page, name):
    """Take what a person first sees of a page, images loaded; when asked, write it to docs/screenshots/.

    Written to <name>-<width>.png only with LETTERHOUSE_SCREENSHOTS=1, and then only when the
    page looks different (more than a few pixels: today's date in a thumbnail is not a change),
    so a test run never leaves the tree dirty.
    """
    wait_for_images(page)
    page.evaluate("() => window.scrollTo(0, 0)")
    png = page.screenshot(animations="disabled", caret="hide")
    assert png.startswith(b"\x89PNG")
    if not screenshots_wanted():
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    if not path.exists() or looks_different(path.read_bytes(), png):
        path.write_bytes(png)


def looks_different(old_png, new_png, tolerance=0.002):
    """Return whether two screenshots differ in size or in more than `tolerance` of their pixels."""
    from PIL import Image, ImageChops

    old, new = (Image.open(io.BytesIO(png)).convert("RGB") for png in (old_png, new_png))
    if old.size != new.size:
        return True
    changed = ImageChops.difference(old, new).convert("L").point(lambda v: 255 if v > 24 else 0)
    return changed.histogram()[255] > tolerance * old.size[0] * old.size[1]


def pdf_of(download):
    """Return the bytes of a Playwright download."""
    with open(download.path(), "rb") as file:
        return file.read()


def focused(page):
    """Return a short description of the element that has the keyboard focus."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName.toLowerCase(), id: el.id, name: el.name || '', type: el.type || '',
                text: (el.innerText || el.value || '').trim().slice(0, 80), value: el.value || ''};
    }""")


def live_page_sources(page):
    """Return the src of every page image in the live preview."""
    return page.locator("[data-live-pages] img").evaluate_all("images => images.map(image => image.src)")


def wait_for_new_preview(page, before=()):
    """Wait until the live preview shows pages other than `before`, and return their sources."""
    page.wait_for_function("""(before) => {
        const images = [...document.querySelectorAll('[data-live-pages] img')];
        return images.length > 0 && images[0].complete
            && JSON.stringify(images.map(image => image.src)) !== JSON.stringify(before);
    }""", arg=list(before))
    return live_page_sources(page)
