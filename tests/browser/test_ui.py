"""End-to-end test of the web page in headless Chromium (Debian's chromium + chromium-driver, Selenium).

Runs against a live `asset3d serve` over the Sweet Home 3D catalog:

    .venv/bin/python tests/browser/test_ui.py --base-url http://127.0.0.1:8010 \
        --data-dir /tmp/data --screenshots ci-output/screenshots

Checks: English and Chinese text search, the query kept in the URL, the UI language toggle, keyboard
navigation, an image upload (results when POST /search/image answers 200, else the server's error shown
cleanly), the detail panel's 3D canvas (pixels read back, neither blank nor uniform), "find similar"
(results without the asset itself when the route answers 200, else a clean message), a phone-sized layout
without horizontal scrolling, and no uncaught script errors. Screenshots are saved at desktop and phone size.
Exit status 0 when every check passed.
"""
import argparse
import sys
import time
import traceback
from pathlib import Path

import requests
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from pagechecks import CANVAS_STATS_JS, Checks, find_icon, write_test_png

# Draws a small PNG in the page and dispatches it as a `drop` on the window or a `paste` on the document,
# the way a browser delivers a dragged file or a pasted screenshot.
DISPATCH_IMAGE_JS = """
const [kind, name] = arguments;
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 64;
const g = canvas.getContext('2d');
g.fillStyle = '#fff'; g.fillRect(0, 0, 64, 64); g.fillStyle = '#345'; g.fillRect(16, 8, 32, 48);
const bytes = atob(canvas.toDataURL('image/png').split(',')[1]);
const file = new File([Uint8Array.from(bytes, c => c.charCodeAt(0))], name, {type: 'image/png'});
const data = new DataTransfer();
data.items.add(file);
if (kind === 'drop') {
  window.dispatchEvent(new DragEvent('dragenter', {dataTransfer: data, bubbles: true, cancelable: true}));
  window.dispatchEvent(new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true}));
} else {
  document.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}
"""

DESKTOP = (1366, 900)
PHONE = (390, 844)
WAIT = 30


def make_driver(chromium: str, chromedriver: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu-sandbox",
        # WebGL without a GPU: ANGLE over SwiftShader (software), which Chromium only allows when asked.
        "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
        "--ignore-gpu-blocklist", "--lang=en-US", "--no-first-run", "--disable-extensions",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager from trying to download one (no network here).
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


class PageTest:
    def __init__(self, driver, base_url: str, data_dir: Path | None, shots: Path, checks: Checks,
                 glb_asset: str | None):
        self.driver = driver
        self.glb_asset = glb_asset
        self.base = base_url.rstrip("/")
        self.data_dir = data_dir
        self.shots = shots
        self.checks = checks

    # --- helpers ------------------------------------------------------------------------------

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, condition, what: str, timeout: float = WAIT):
        try:
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: condition())
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}") from None

    def text(self, element_id: str) -> str:
        return self.js("const e = document.getElementById(arguments[0]); return e && !e.hidden ? e.textContent : '';",
                       element_id)

    def card_count(self) -> int:
        return self.js("return document.querySelectorAll('#results button.card').length;")

    def completed(self) -> int:
        """Searches the page has finished (it counts them on #results)."""
        return int(self.js("return document.getElementById('results').dataset.completed || '0';"))

    def wait_for_search(self, before: int, what: str):
        self.wait(lambda: self.completed() > before, what)

    def expect_results(self, what: str) -> int:
        error = self.text("error")
        if error:
            raise AssertionError(f"{what}: the page shows an error: {error}")
        if not self.card_count():
            raise AssertionError(f"{what}: no results")
        return self.card_count()

    def search(self, query: str) -> int:
        before = self.completed()
        box = self.driver.find_element(By.ID, "query")
        box.clear()
        box.send_keys(query, Keys.ENTER)
        self.wait_for_search(before, f"the search for {query!r} to finish")
        return self.expect_results(f"results for {query!r}")

    def result_names(self):
        return self.js("""return [...document.querySelectorAll('#results button.card')].map(card =>
            card.querySelector('.card-text').textContent);""")

    def screenshot(self, name: str):
        path = self.shots / f"{name}.png"
        self.driver.save_screenshot(str(path))
        print(f"  screenshot: {path}")

    def set_viewport(self, size, mobile: bool):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": size[0], "height": size[1], "deviceScaleFactor": 2 if mobile else 1, "mobile": mobile})
        if mobile:
            self.driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})

    def route_status(self, method: str, path: str, **kwargs) -> int:
        try:
            return requests.request(method, self.base + path, timeout=30, **kwargs).status_code
        except requests.RequestException:
            return 0

    def open_detail_and_check_canvas(self, label: str, kind: str = "obj"):
        self.wait(lambda: self.js("return document.getElementById('detail').open"), "the detail panel to open")
        state = self.wait(lambda: self.js(
            "const s = document.getElementById('viewer').dataset.state; return s === 'ready' || s === 'error' ? s : null;"),
            "the 3D viewer to finish loading", timeout=60)
        if state != "ready":
            raise AssertionError(f"the viewer reports: {self.text('viewer-status')}")
        shown = self.js("return document.getElementById('viewer').dataset.kind")
        assert shown == kind, f"the viewer used the {shown} loader, expected {kind}"
        time.sleep(0.3)  # one more frame after the resize observer
        stats = self.js(CANVAS_STATS_JS)
        print(f"  canvas ({label}): {stats}")
        if stats.get("error"):
            raise AssertionError(f"canvas read-back failed: {stats['error']}")
        if stats["covered"] < 0.02:
            raise AssertionError(f"the canvas is blank: {stats['covered']:.1%} of pixels drawn")
        if stats["colours"] < 16 or stats["lumaStd"] < 4:
            raise AssertionError(f"the canvas is uniform: {stats['colours']} colours, luma std {stats['lumaStd']:.1f}")

    # --- steps --------------------------------------------------------------------------------

    def load(self):
        self.driver.get(self.base + "/")
        self.wait(lambda: "indexed" in self.text("status"), "the status line to report the index")
        print(f"  status: {self.text('status')}")

    def english(self):
        count = self.search("armchair")
        names = " | ".join(self.result_names()).lower()
        assert "armchair" in names, f"no result named armchair among {count}: {names[:300]}"
        assert "q=armchair" in self.driver.current_url, f"the URL does not carry the query: {self.driver.current_url}"
        badges = self.js("return document.querySelectorAll('#results .badge').length;")
        assert badges > 0, "results carry no space badges"
        print(f"  {count} results; status: {self.text('status')}")
        self.screenshot("desktop-results-en")
        if self.js("return !document.getElementById('more').hidden"):
            before = self.completed()
            self.driver.find_element(By.ID, "more").click()
            self.wait_for_search(before, "the next page")
            ids = self.js("return [...document.querySelectorAll('#results button.card')].map(c => c.dataset.assetId);")
            assert len(ids) > count, f"'Load more' added nothing ({len(ids)} results)"
            assert len(set(ids)) == len(ids), "'Load more' repeated results of the first page"
            print(f"  load more: {len(ids)} results")

    def chinese(self):
        count = self.search("沙发")
        names = " | ".join(self.result_names())
        assert "沙发" in names, f"no result named 沙发 among {count}: {names[:300]}"
        print(f"  {count} results; status: {self.text('status')}; skipped: {self.text('skipped')!r}")

    def drop_and_paste(self):
        """Drag-and-drop and paste hand an image to the same search as the file picker."""
        for event, name in (("drop", "dropped.png"), ("paste", "pasted.png")):
            before = self.completed()
            self.js(DISPATCH_IMAGE_JS, event, name)
            self.wait_for_search(before, f"the search started by a {event}")
            chip = self.js("return document.querySelector('#image-chip .chip-name').textContent")
            assert chip == name, f"after a {event} the image chip names {chip!r}"
            assert self.text("error") or self.card_count(), f"a {event} left neither results nor a message"
            assert self.js("return document.getElementById('drop-overlay').hidden"), "the drop overlay stays up"
        self.driver.find_element(By.CSS_SELECTOR, "#image-chip .chip-remove").click()

    def url_restores(self):
        self.driver.get(self.base + "/?q=%E6%A4%85%E5%AD%90&algorithm=lexical")  # 椅子
        self.wait_for_search(0, "the URL's search")
        self.expect_results("the search restored from the URL")
        assert self.js("return document.getElementById('query').value") == "椅子"
        assert self.js("return document.getElementById('algorithm').value") == "lexical"

    def ui_language(self):
        self.driver.find_element(By.ID, "ui-lang").click()
        label = self.js("return document.querySelector('.search-button').textContent")
        assert label == "搜索", f"the search button reads {label!r} after switching to Chinese"
        assert self.js("return document.documentElement.lang") == "zh-CN"
        assert "个结果" in self.text("status"), f"status not translated: {self.text('status')}"
        self.screenshot("desktop-results-zh")
        self.driver.find_element(By.ID, "ui-lang").click()
        assert self.js("return document.querySelector('.search-button').textContent") == "Search"

    def keyboard_open(self):
        self.search("armchair")
        # Focus nothing in particular (clicking the body could land on a card, depending on layout and
        # fonts), then type "/" as a user would.
        self.js("document.activeElement && document.activeElement.blur()")
        ActionChains(self.driver).send_keys("/").perform()
        assert self.js("return document.activeElement.id") == "query", "'/' does not focus the search box"
        active = self.driver.switch_to.active_element
        active.send_keys(Keys.ARROW_DOWN)
        assert self.js("return document.activeElement.dataset.index") == "0", "ArrowDown does not reach the results"
        self.driver.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)
        assert self.js("return document.activeElement.dataset.index") == "1", "ArrowRight does not move to result 2"
        self.driver.switch_to.active_element.send_keys(Keys.ENTER)
        self.open_detail_and_check_canvas("desktop")
        meta = self.text("meta")
        assert "Sweet Home 3D" in meta or "sh3d" in meta.lower() or "Category" in meta, f"metadata missing: {meta[:200]}"
        assert "asset=" in self.driver.current_url, "the open asset is not in the URL"
        self.screenshot("desktop-detail")
        self.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
        self.wait(lambda: not self.js("return document.getElementById('detail').open"), "Esc to close the panel")
        assert self.js("return document.activeElement.dataset.index") == "1", "focus did not return to the card"

    def find_similar(self):
        first = self.driver.find_elements(By.CSS_SELECTOR, "#results button.card")[0]
        asset_id = first.get_attribute("data-asset-id")
        first.click()
        self.wait(lambda: self.js("return document.getElementById('detail').open"), "the detail panel to open")
        before = self.completed()
        self.driver.find_element(By.ID, "find-similar").click()
        self.wait_for_search(before, "find similar to finish")
        assert not self.js("return document.getElementById('detail').open"), "the panel stays open"
        status = self.route_status("GET", f"/assets/{requests.utils.quote(asset_id, safe='')}/similar?top_k=5")
        if status == 200:
            ids = self.js("return [...document.querySelectorAll('#results button.card')].map(c => c.dataset.assetId);")
            assert ids, f"find similar shows no results: {self.text('error')}"
            assert asset_id not in ids, "find similar lists the asset itself"
            assert "similar=" in self.driver.current_url
            print(f"  {len(ids)} similar assets; status: {self.text('status')}")
        else:
            error = self.text("error")
            assert error, f"GET /similar answers {status} but the page shows no message"
            assert "Traceback" not in error and "{" not in error, f"raw error shown: {error}"
            assert self.card_count() > 0, "the failed find similar removed the results that were on screen"
            print(f"  route answers {status}; the page says: {error}")
        self.screenshot("desktop-similar")

    def image_upload(self):
        icon = find_icon(self.data_dir) or write_test_png(self.shots.parent / "query-image.png")
        with open(icon, "rb") as handle:
            status = self.route_status("POST", "/search/image?top_k=5", files={"file": (icon.name, handle, "image/png")})
        before = self.completed()
        self.driver.find_element(By.ID, "image-input").send_keys(str(icon))
        self.wait_for_search(before, "the image search to finish")
        assert self.js("return !document.getElementById('image-chip').hidden"), "the image chip is not shown"
        if status == 200:
            count = self.expect_results("image search")
            print(f"  {count} results for {icon.name}; status: {self.text('status')}")
        else:
            error = self.text("error")
            assert error, f"POST /search/image answers {status} but the page shows no message"
            assert "Traceback" not in error and "{" not in error, f"raw error shown: {error}"
            assert self.card_count() > 0, "the failed image search removed the results that were on screen"
            print(f"  route answers {status}; the page says: {error}")
        self.screenshot("desktop-image-query")
        self.driver.find_element(By.CSS_SELECTOR, "#image-chip .chip-remove").click()

    def glb_model(self):
        """The GLB fixture (folder catalog, id with a "/"): opened from the URL, drawn by GLTFLoader."""
        self.driver.get(self.base + "/?asset=" + requests.utils.quote(self.glb_asset, safe=""))
        self.open_detail_and_check_canvas("GLB", kind="gltf")
        title = self.text("detail-title")
        assert title and title != self.glb_asset, f"the panel title is {title!r}"
        download = self.js("return document.getElementById('download').getAttribute('href')")
        assert download and "%2F" in download, f"the download link does not encode the id: {download}"
        self.screenshot("desktop-detail-glb")

    def broken_model(self):
        """A model file that cannot be parsed: a clear message in the viewer, not a blank box or a crash."""
        broken = self.glb_asset.rsplit("/", 1)[0] + "/broken-glb"
        self.driver.get(self.base + "/?asset=" + requests.utils.quote(broken, safe=""))
        self.wait(lambda: self.js("return document.getElementById('detail').open"), "the detail panel to open")
        state = self.wait(lambda: self.js(
            "const s = document.getElementById('viewer').dataset.state; return s === 'ready' || s === 'error' ? s : null;"),
            "the viewer to give up", timeout=60)
        message = self.text("viewer-status")
        assert state == "error", f"a corrupt model was reported as {state}"
        assert message.startswith("The 3D model cannot be shown"), f"viewer message: {message!r}"
        assert self.js("return !document.getElementById('find-similar').disabled"), "the panel is not usable"
        print(f"  the viewer says: {message}")
        self.screenshot("desktop-detail-broken-model")

    def phone(self):
        self.set_viewport(PHONE, mobile=True)
        self.driver.get(self.base + "/?q=%E6%B2%99%E5%8F%91")  # 沙发
        self.wait_for_search(0, "the phone-size search from the URL")
        self.expect_results("phone-size results from the URL")
        overflow = self.js("return document.documentElement.scrollWidth - window.innerWidth;")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at {PHONE[0]}px wide"
        columns = self.js("""const cards = [...document.querySelectorAll('#results button.card')];
            return cards.filter(c => c.getBoundingClientRect().top === cards[0].getBoundingClientRect().top).length;""")
        assert columns == 2, f"{columns} result columns at phone width (want 2)"
        self.screenshot("phone-results")
        self.driver.find_elements(By.CSS_SELECTOR, "#results button.card")[0].click()
        self.open_detail_and_check_canvas("phone")
        width = self.js("return document.getElementById('detail').getBoundingClientRect().width;")
        assert abs(width - PHONE[0]) <= 1, f"the detail panel is {width}px wide on a {PHONE[0]}px screen"
        self.screenshot("phone-detail")

    def console_clean(self):
        try:
            entries = self.driver.get_log("browser")
        except WebDriverException:
            return
        # Failed fetches of routes a server may not have yet are reported by the page itself.
        errors = [e["message"] for e in entries if e["level"] == "SEVERE" and "Failed to load resource" not in e["message"]]
        assert not errors, "script errors in the console:\n  " + "\n  ".join(errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--data-dir", type=Path, help="the server's data dir (for a catalog icon to upload)")
    parser.add_argument("--screenshots", type=Path, default=Path("ci-output/screenshots"))
    parser.add_argument("--glb-asset", help="id of a GLB asset (see glb_catalog.py) to open in the viewer")
    parser.add_argument("--chromium", default="/usr/lib/chromium/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    args.screenshots.mkdir(parents=True, exist_ok=True)

    checks = Checks()
    try:
        driver = make_driver(args.chromium, args.chromedriver)
    except WebDriverException as error:
        print(f"✗ cannot start headless Chromium: {error.msg}")
        return 1
    try:
        test = PageTest(driver, args.base_url, args.data_dir, args.screenshots, checks, args.glb_asset)
        checks.run("page loads and reports the index", test.load, fatal=True)
        checks.run("English search: armchair", test.english)
        checks.run("Chinese search: 沙发", test.chinese)
        checks.run("UI language toggle EN ⇄ 中文", test.ui_language)
        checks.run("keyboard: / · arrows · Enter opens · 3D canvas renders · Esc closes", test.keyboard_open)
        checks.run("find similar", test.find_similar)
        checks.run("image query by upload", test.image_upload)
        checks.run("image query by drag-and-drop and by paste", test.drop_and_paste)
        checks.run("search restored from the URL", test.url_restores)
        if args.glb_asset:
            checks.run("GLB model (model/gltf-binary) via GLTFLoader, id with '/'", test.glb_model)
            checks.run("a corrupt model file gives a clear message", test.broken_model)
        checks.run("phone size 390×844: results and detail", test.phone)
        checks.run("no script errors in the console", test.console_clean)
    except Exception:  # a crash of the harness itself, not a failed check
        traceback.print_exc()
        checks.failed.append("harness")
    finally:
        driver.quit()
    return checks.summary("browser")


if __name__ == "__main__":
    sys.exit(main())
