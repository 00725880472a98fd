"""The HTTP client on a scripted local server: retries, Retry-After, size cap, redirects, robots, delays."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from crawl_helpers import profile_dict

from scrapers.clean.charset import decode
from scrapers.crawl.http import FetchError, HttpClient, HttpSettings, LegacyTLSAdapter, parse_crawl_delay
from scrapers.mirror.charset import encode_cp1258
from scrapers.sites import load_profile
from scrapers.sites.profile import build_profile


class Script:
    """Per-path queues of responses (status, headers, body); the last one repeats."""

    def __init__(self):
        self.routes: dict[str, list[tuple[int, dict, bytes]]] = {}
        self.log: list[tuple[str, dict, float]] = []

    def add(self, path: str, *responses: tuple[int, dict, bytes]) -> None:
        self.routes[path] = list(responses)

    def hits(self, path: str) -> int:
        return sum(1 for p, _, _ in self.log if p == path)


@pytest.fixture()
def server():
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            script.log.append((self.path, dict(self.headers), time.monotonic()))
            queue = script.routes.get(self.path)
            if not queue:
                status, headers, body = 404, {}, b"not found"
            else:
                status, headers, body = queue.pop(0) if len(queue) > 1 else queue[0]
            if status == 200 and "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    script.add("/site.test/robots.txt", (200, {}, b"User-agent: *\nDisallow: /private/\n"))
    yield script
    httpd.shutdown()
    httpd.server_close()


def _profile(host: str = "site.test", **politeness):
    data = profile_dict("plo")
    data["id"], data["base_url"], data["hosts"] = "site", f"https://{host}", [host]
    data["politeness"].update(politeness)
    return build_profile(data, "site.yaml")


def _client(server, *, sleeps=None, **kw) -> HttpClient:
    settings = HttpSettings(
        mirror_url=server.url, delay=0.0, backoff_base=0.001, retry_after_max=0.05, timeout=5, **kw
    )
    sleep = (lambda s: sleeps.append(s)) if sleeps is not None else time.sleep
    return HttpClient([_profile()], settings, sleep=sleep)


OK = (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>ok</body></html>")


def test_retries_5xx_and_429_honouring_capped_retry_after(server):
    server.add("/site.test/a", (503, {}, b""), (429, {"Retry-After": "100"}, b""), OK)
    sleeps = []
    client = _client(server, sleeps=sleeps)
    resp = client.get("https://site.test/a")
    assert resp.status == 200 and resp.content == OK[2] and resp.attempts == 3
    assert server.hits("/site.test/a") == 3 and client.stats["retries"] == 2
    # First wait is jittered backoff (tiny); the second is Retry-After 100 s capped to 0.05 s.
    assert sleeps[0] < 0.01 and sleeps[1] == pytest.approx(0.05)


def test_gives_up_after_max_retries_and_does_not_retry_404(server):
    server.add("/site.test/down", (503, {}, b""))
    client = _client(server, sleeps=[], max_retries=2)
    with pytest.raises(FetchError) as info:
        client.get("https://site.test/down")
    assert info.value.reason == "http_error" and info.value.status == 503 and info.value.attempts == 3
    with pytest.raises(FetchError) as info:
        client.get("https://site.test/missing")
    assert info.value.status == 404 and server.hits("/site.test/missing") == 1


def test_size_cap_stops_reading(server):
    big = b"<p>" + b"x" * 500_000 + b"</p>"
    server.add("/site.test/big", (200, {}, big))
    server.add("/site.test/liar", (200, {"Content-Length": str(len(big))}, big))
    client = _client(server, max_bytes=100_000)
    for path in ("/site.test/big", "/site.test/liar"):
        with pytest.raises(FetchError) as info:
            client.get("https://site.test" + path.removeprefix("/site.test"))
        assert info.value.reason == "size_cap"


def test_redirects_stay_on_allowed_hosts(server):
    server.add("/site.test/old", (301, {"Location": "https://site.test/new"}, b""))
    server.add("/site.test/new", OK)
    server.add("/site.test/away", (302, {"Location": "https://example.com/x"}, b""))
    server.add("/site.test/l1", (302, {"Location": "/l2"}, b""))
    server.add("/site.test/l2", (302, {"Location": "https://site.test/l1"}, b""))
    server.add("/site.test/sneaky", (302, {"Location": "/private/x"}, b""))
    client = _client(server)
    resp = client.get("https://site.test/old")
    assert (
        resp.status == 200
        and resp.final_url == "https://site.test/new"
        and resp.url == "https://site.test/old"
    )
    for path, reason in (
        ("away", "redirect_off_site"),
        ("l1", "redirect_loop"),
        ("sneaky", "robots_disallowed"),
    ):
        with pytest.raises(FetchError) as info:
            client.get(f"https://site.test/{path}")
        assert info.value.reason == reason
    assert server.hits("/site.test/private/x") == 0


def test_conditional_get_and_user_agent(server):
    server.add(
        "/site.test/list", (200, {"ETag": '"v1"', "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"}, b"list")
    )
    client = _client(server)
    first = client.get("https://site.test/list", kind="listing")
    assert first.status == 200 and first.etag == '"v1"'
    second = client.get(
        "https://site.test/list",
        kind="listing",
        validators={"etag": first.etag, "last_modified": first.last_modified},
    )
    assert second.not_modified and second.content == b""
    headers = server.log[-1][1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == first.last_modified
    assert headers["User-Agent"] == _profile().politeness.user_agent
    assert client.stats["requests_listing"] == 2 and client.stats["requests_robots"] == 1


def test_robots_rules(server):
    client = _client(server)
    with pytest.raises(FetchError, match="robots_disallowed"):
        client.get("https://site.test/private/page")
    assert server.hits("/site.test/private/page") == 0
    server.add("/site.test/robots.txt", (503, {}, b""))
    fresh = _client(server, sleeps=[], max_retries=1)
    with pytest.raises(FetchError, match="robots_unavailable"):
        fresh.get("https://site.test/a")  # unreachable robots.txt: assume everything disallowed
    server.add("/site.test/robots.txt", (404, {}, b""))
    server.add("/site.test/private/page", OK)
    assert _client(server).get("https://site.test/private/page").status == 200  # no robots.txt: allowed


def test_crawl_delay_spaces_requests(server):
    server.add("/site.test/robots.txt", (200, {}, b"User-agent: *\nCrawl-delay: 0.2\n"))
    server.add("/site.test/p", OK)
    client = _client(server)
    for _ in range(4):
        client.get("https://site.test/p")
    times = [t for p, _, t in server.log if p == "/site.test/p"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(gaps) == 3 and min(gaps) >= 0.19
    assert parse_crawl_delay(["User-agent: *", "Crawl-delay: 1.5"], "thads-pipeline/0.1") == 1.5


def test_profile_delay_applies_without_crawl_delay(server):
    server.add("/site.test/p", OK)
    settings = HttpSettings(mirror_url=server.url, backoff_base=0.001, timeout=5)
    client = HttpClient([_profile(delay=0.15)], settings)
    for _ in range(3):
        client.get("https://site.test/p")
    times = [t for p, _, t in server.log if p == "/site.test/p"]
    assert min(b - a for a, b in zip(times, times[1:], strict=False)) >= 0.14


def test_only_allowed_hosts_schemes_and_public_addresses():
    client = HttpClient([_profile("localhost")], HttpSettings(mirror_url=None, delay=0.0))
    for url, reason in (
        ("https://example.com/", "host_not_allowed"),
        ("ftp://localhost/x", "bad_url"),
        ("file:///etc/passwd", "bad_url"),
        ("https://localhost/x", "private_address"),
    ):
        with pytest.raises(FetchError) as info:
            client.get(url)
        assert info.value.reason == reason, url


def test_legacy_tls_only_where_the_profile_asks():
    profiles = [load_profile("thads"), load_profile("plo")]
    client = HttpClient(profiles, HttpSettings(mirror_url=None))
    legacy = client._host("thads.moj.gov.vn", profiles[0])
    modern = client._host("plo.vn", profiles[1])
    assert isinstance(legacy.session.get_adapter("https://thads.moj.gov.vn/x"), LegacyTLSAdapter)
    assert not isinstance(modern.session.get_adapter("https://plo.vn/x"), LegacyTLSAdapter)
    assert not isinstance(legacy.session.get_adapter("https://example.com/"), LegacyTLSAdapter)


def test_mirror_url_mapping():
    client = HttpClient([load_profile("thads")], HttpSettings(mirror_url="http://127.0.0.1:9"))
    real = "https://thads.moj.gov.vn/bentre/noidung/tintuc/Pages/tin-tuc.aspx?Page=2"
    fetch = client.to_fetch_url(real)
    assert fetch == "http://127.0.0.1:9/thads.moj.gov.vn/bentre/noidung/tintuc/Pages/tin-tuc.aspx?Page=2"
    assert client.to_real_url(fetch) == real


# ---- charsets ----------------------------------------------------------------------------------

VI = "Cục Thi hành án dân sự tỉnh Bến Tre đã thi hành xong 1.234 việc, đạt tỷ lệ 80,5%"


def test_windows_1258_with_meta_is_decoded_and_nfc():
    page = encode_cp1258(f'<html><head><meta charset="windows-1258"></head><body><p>{VI}</p></body></html>')
    text, enc = decode(page, "text/html; charset=windows-1258")
    assert enc == "cp1258" and VI in text


def test_windows_1258_without_any_declaration_is_detected():
    page = encode_cp1258(f"<html><body><p>{VI}</p><p>{VI}</p></body></html>")
    text, enc = decode(page, "text/html")
    assert VI in text


def test_wrong_latin1_header_on_utf8_page():
    page = f'<html><head><meta charset="utf-8"></head><body>{VI}</body></html>'.encode()
    text, enc = decode(page, "text/html; charset=ISO-8859-1")
    assert enc == "utf-8" and VI in text
    text, _ = decode(f"<html><body>{VI}</body></html>".encode(), "text/html; charset=ISO-8859-1")
    assert VI in text


def test_transcoded_page_declaring_legacy_charset():
    page = f'<html><head><meta charset="windows-1258"></head><body>{VI}</body></html>'.encode()
    text, enc = decode(page)
    assert enc == "utf-8" and VI in text
