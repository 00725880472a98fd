"""The report in a real browser: headless Chromium driven over the DevTools protocol.

Checks that every plotly chart rendered (SVG with traces inside the plotly div),
that no page logged a console error, that every relative link or asset points at
an existing file, and saves a screenshot to test-artifacts/report.png.
Chromium is installed with apt when missing; without it the test skips, except in CI.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from analyst_helpers import PROVINCES, make_warehouse

from scrapers.analyst.labels import slug
from scrapers.analyst.report import build_report

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1280,1800")


def _find() -> str | None:
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def _apt(*args: str, timeout: int) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # root runs apt-get itself; otherwise only a password-less sudo can
    prefix = [] if os.geteuid() == 0 else ["sudo", "-n", "-E"]
    try:
        return subprocess.run([*prefix, "apt-get", *args], env=env, timeout=timeout,
                              capture_output=True).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _find()
    if path is None and shutil.which("apt-get") and (os.geteuid() == 0 or shutil.which("sudo")):
        # bounded: a slow mirror must not eat the CI budget
        if not _apt("install", "-y", "-q", "chromium", timeout=600):
            _apt("update", "-q", timeout=300)
            _apt("install", "-y", "-q", "chromium", timeout=600)
        path = _find()
    if path is None:
        msg = "headless Chromium not found and `apt-get install -y chromium` did not provide it"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return path


class DevTools:
    """A minimal CDP client over one websocket: commands wait for their reply; events are kept."""

    def __init__(self, ws_url: str):
        from websockets.sync.client import connect

        self.ws = connect(ws_url, max_size=64 * 2**20, open_timeout=20)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.ws.send(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method:
                    return self.events.pop(i)
            self.events.append(json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic()))))

    def close(self):
        self.ws.close()


@pytest.fixture()
def browser(chromium, tmp_path):
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    proc = subprocess.Popen([chromium, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
                             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and len(port_file.read_text().split()) >= 2):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start (exit code {proc.poll()})")
            time.sleep(0.1)
        port, path = port_file.read_text().split()[:2]
        tools = DevTools(f"ws://127.0.0.1:{port}{path}")
        yield tools
        tools.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


# What the page shows, measured in the page once plotly has drawn.
PROBE = """(() => {
  const divs = Array.from(document.querySelectorAll('.plotly-graph-div'));
  return JSON.stringify({
    ready: document.readyState,
    charts: divs.map(d => ({
      id: d.id,
      svg: d.querySelectorAll('svg.main-svg').length,
      traces: d.querySelectorAll('g.trace').length,
      marks: d.querySelectorAll('path.point, g.trace path.js-line, g.bars path').length,
      data: (d.data || []).length,
    })),
    refs: Array.from(document.querySelectorAll('a[href], script[src], link[href]'))
      .map(e => e.getAttribute('href') || e.getAttribute('src')),
  });
})()"""


def _errors(events: list[dict]) -> list[str]:
    out = []
    for ev in events:
        m, p = ev.get("method"), ev.get("params", {})
        if m == "Runtime.exceptionThrown":
            out.append(json.dumps(p.get("exceptionDetails", {}))[:500])
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            out.append(" ".join(str(a.get("value", a.get("description"))) for a in p.get("args", [])))
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            out.append(f"{p['entry'].get('source')}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
    return out


def _visit(tools: DevTools, page: Path, screenshot: Path | None = None) -> dict:
    target = tools.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = tools.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log"):
        tools.send(f"{domain}.enable", session=session)
    tools.send("Emulation.setDeviceMetricsOverride",
               {"width": 1280, "height": 1800, "deviceScaleFactor": 1, "mobile": False}, session=session)
    tools.events.clear()
    tools.send("Page.navigate", {"url": page.as_uri()}, session=session)
    tools.wait_event("Page.loadEventFired", timeout=30)
    deadline = time.monotonic() + 20
    while True:
        state = json.loads(tools.send("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                                      session=session)["result"]["value"])
        drawn = state["charts"] and all(c["svg"] and c["traces"] for c in state["charts"])
        if drawn or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if screenshot is not None:
        shot = tools.send("Page.captureScreenshot", {"format": "png"}, session=session)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    state["errors"] = _errors(tools.events)
    tools.send("Target.closeTarget", {"targetId": target})
    return state


def test_report_renders_in_chromium(browser, tmp_lake):
    make_warehouse(Path(tmp_lake).parent / "warehouse.duckdb")
    index = build_report()
    out = index.parent
    pages = [index] + [out / "provinces" / f"{slug(p)}.html" for p in PROVINCES]
    artifact = REPO / "test-artifacts" / "report.png"
    for page in pages:
        state = _visit(browser, page, screenshot=artifact if page == index else None)
        name = page.relative_to(out)
        assert state["errors"] == [], f"{name}: console errors {state['errors']}"
        assert state["charts"], f"{name}: no plotly charts"
        for chart in state["charts"]:
            assert chart["data"] > 0, f"{name} {chart['id']}: no data"
            assert chart["svg"] > 0 and chart["traces"] > 0 and chart["marks"] > 0, f"{name}: {chart} not drawn"
        for ref in state["refs"]:
            parts = urlsplit(ref)
            if parts.scheme or ref.startswith(("#", "//")):
                continue
            assert (page.parent / unquote(parts.path)).resolve().is_file(), f"{name}: broken link {ref}"
    assert artifact.stat().st_size > 20_000
    assert artifact.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
