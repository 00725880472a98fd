"""The mirror's HTTP server: routing, conditional GET, faults, request log and control endpoint.

``start_mirror(port=0)`` serves all four sources on 127.0.0.1 from a background thread and returns a
``MirrorHandle``. See docs/mirror.md for URLs, markup, faults and the control API.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from datetime import UTC, date, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

from scrapers.mirror import hostile as hostile_mod
from scrapers.mirror import hostile_extra, render, sites
from scrapers.mirror.archive import archive
from scrapers.mirror.charset import encode_cp1258
from scrapers.mirror.faults import FaultSpec, FaultState
from scrapers.mirror.hostile import MirrorRequest, MirrorResponse

KINDS = ("robots", "listing", "rss", "article", "other")


class MirrorRequestLog(NamedTuple):
    method: str
    path: str          # mirror path with query, e.g. /plo.vn/rss/home.rss
    status: int
    kind: str

    @property
    def host(self) -> str:
        return self.path.split("/", 2)[1] if self.path.startswith("/") else ""


class Routed(NamedTuple):
    kind: str
    make: object        # () -> MirrorResponse, called after the fault decision


def _as_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(UTC), usegmt=True)


class MirrorState:
    def __init__(self, faults=None, as_of=None):
        self.faults = FaultState(FaultSpec.from_value(faults))
        self.as_of = _as_date(as_of)
        self._log: list[MirrorRequestLog] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def log(self, entry: MirrorRequestLog) -> None:
        with self._lock:
            self._log.append(entry)

    def entries(self) -> list[MirrorRequestLog]:
        with self._lock:
            return list(self._log)

    def reset_log(self) -> None:
        with self._lock:
            self._log.clear()
        self.faults.reset()

    def control_state(self) -> dict:
        return {"faults": self.faults.spec.to_dict(), "as_of": self.as_of.isoformat() if self.as_of else None,
                "requests": len(self.entries())}


# ---- routing ---------------------------------------------------------------------------------

def _page(q: dict, key: str = "page") -> int:
    raw = q.get(key, "1") or "1"
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"bad page number {raw!r}")
    return int(raw)


def _html(body: str | bytes, charset: str = "utf-8", ctype: str = "text/html") -> MirrorResponse:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return MirrorResponse(200, {"Content-Type": f"{ctype}; charset={charset}"}, data)


def _with_validators(resp: MirrorResponse, last_modified: datetime) -> MirrorResponse:
    resp.headers["ETag"] = '"' + hashlib.sha1(resp.body).hexdigest()[:20] + '"'
    resp.headers["Last-Modified"] = _http_date(last_modified)
    return resp


def _listing_response(html: str, items, as_of) -> MirrorResponse:
    newest = max((render.last_changed(a, as_of) for a in items), default=render.when_start())
    return _with_validators(_html(html), newest)


def _article_response(a, as_of, header_charset: str | None = None) -> MirrorResponse:
    renderer = render.ARTICLE_RENDERERS[a.source]
    if a.charset == "windows-1258":
        resp = _html(encode_cp1258(renderer(a, as_of, charset="windows-1258")), charset="windows-1258")
    else:
        resp = _html(renderer(a, as_of), charset="ISO-8859-1" if a.charset == "wrong-header" else "utf-8")
    return _with_validators(resp, render.last_changed(a, as_of))


class Router:
    def __init__(self, state: MirrorState):
        self.state = state
        self.arch = archive()

    def route(self, path: str, query: str, req: MirrorRequest | None = None) -> Routed | None:
        if path in hostile_mod.HOSTILE:
            handler = hostile_mod.HOSTILE[path]
            return Routed("article", lambda: handler(req))
        parts = path.split("/", 2)
        if len(parts) < 3 or parts[1].lower() not in sites.SOURCE_OF_HOST:
            return None
        host = parts[1].lower()
        source = sites.SOURCE_OF_HOST[host]
        rest = "/" + parts[2]
        q = {k.lower(): v for k, v in parse_qsl(query, keep_blank_values=True)}
        if rest == "/robots.txt":
            spec = self.state.faults.spec
            return Routed("robots", lambda: _html(render.robots(source, spec.delay_for(host)), ctype="text/plain"))
        return getattr(self, f"_route_{source}")(rest, q)

    def _article(self, source: str, key) -> Routed | None:
        a = self.arch.lookup(source, key)
        if a is None:
            return None
        as_of = self.state.as_of
        if not a.visible(as_of):
            return Routed("article", None)       # 404, but counted as an article request
        return Routed("article", lambda: _article_response(a, as_of))

    def _listing(self, source: str, key: str, page: int, render_fn) -> Routed:
        as_of = self.state.as_of
        spec = self.state.faults.spec

        def make():
            items, has_next = render.page_slice(render.listed(source, key, as_of), page, spec.endless_listings)
            return _listing_response(render_fn(items, has_next), items, as_of)
        return Routed("listing", make)

    def _route_thads(self, rest: str, q: dict) -> Routed | None:
        low = rest.lower()
        m = re.fullmatch(r"(?:/([a-z]+))?/noidung/tintuc/pages/tin-tuc\.aspx", low)
        if m:
            sub = m.group(1) or ""
            if sub and sub not in sites.PROVINCES:
                return None
            page = _page(q)
            return self._listing("thads", sub, page,
                                 lambda items, nxt: render.thads_listing(sub, items, page, nxt, self.state.as_of))
        m = re.fullmatch(r"(?:/([a-z]+))?/noidung/tintuc/lists/([a-z]+)/view_detail\.aspx", low)
        if m and q.get("itemid", "").isdigit():
            return self._article("thads", (m.group(1) or "", m.group(2), int(q["itemid"])))
        return None

    def _route_moj(self, rest: str, q: dict) -> Routed | None:
        m = re.fullmatch(r"/qt/tintuc/pages/([a-z-]+)\.aspx", rest.lower())
        if not m:
            return None
        cat = m.group(1)
        if "itemid" in q:
            return self._article("moj", (cat, int(q["itemid"]))) if q["itemid"].isdigit() else None
        if cat not in sites.MOJ_CATEGORIES:
            return None
        page = _page(q)
        return self._listing("moj", cat, page,
                             lambda items, nxt: render.moj_listing(cat, items, page, nxt, self.state.as_of))

    def _news_common(self, source: str, rest: str, q: dict, cats, private: str) -> Routed | None:
        m = re.fullmatch(rf"/(?:{private}/)?[a-z0-9-]+-post(\d+)\.html", rest)
        if m:
            return self._article(source, int(m.group(1)))
        return None

    def _rss(self, source: str, key: str, title: str, link: str) -> Routed:
        as_of = self.state.as_of

        def make():
            items = render.listed(source, key, as_of)[:sites.RSS_SIZE]
            body = render.rss(source, title, link, items, as_of)
            resp = _html(body, ctype="application/rss+xml")
            newest = max((render.last_changed(a, as_of) for a in items), default=render.when_start())
            return _with_validators(resp, newest)
        return Routed("rss", make)

    def _route_baophapluat(self, rest: str, q: dict) -> Routed | None:
        host = sites.HOSTS["baophapluat"]
        if rest == "/rss/home.rss":
            return self._rss("baophapluat", "*", "Báo Pháp luật Việt Nam", f"https://{host}/")
        m = re.fullmatch(r"/rss/([a-z-]+)\.rss", rest)
        if m and m.group(1) in sites.BPL_CATEGORIES:
            cat = m.group(1)
            return self._rss("baophapluat", cat, sites.BPL_CATEGORY_NAMES[cat], f"https://{host}/{cat}/")
        m = re.fullmatch(r"/([a-z-]+)/(?:trang-(\d+)\.html)?", rest)
        if m and m.group(1) in sites.BPL_CATEGORIES:
            cat, page = m.group(1), int(m.group(2) or 1)
            if page < 1:
                return None
            return self._listing("baophapluat", cat, page, lambda items, nxt: render.news_listing(
                "baophapluat", cat, items, page, nxt, self.state.as_of))
        return self._news_common("baophapluat", rest, q, sites.BPL_CATEGORIES, "preview")

    def _route_plo(self, rest: str, q: dict) -> Routed | None:
        host = sites.HOSTS["plo"]
        if rest == "/rss/home.rss":
            return self._rss("plo", "*", "Pháp Luật TP. Hồ Chí Minh", f"https://{host}/")
        m = re.fullmatch(r"/rss/([a-z-]+)-(\d+)\.rss", rest)
        if m and sites.PLO_RSS_IDS.get(m.group(1)) == int(m.group(2)):
            cat = m.group(1)
            return self._rss("plo", cat, sites.PLO_CATEGORY_NAMES[cat], f"https://{host}/{cat}/")
        m = re.fullmatch(r"/([a-z-]+)/", rest)
        if m and m.group(1) in sites.PLO_CATEGORIES:
            cat, page = m.group(1), _page(q)
            spec = self.state.faults.spec
            extra = hostile_extra.listing_links(spec.hostile_links) if page == 1 else []

            def dup(items):
                # "all": the first article again under another slug (same post id): one key, stored once.
                if spec.hostile_links != "all" or page != 1 or not items:
                    return []
                return [(f"https://plo.vn/ban-sao-khac-post{items[0].item_id}.html?utm_source=dup", items[0].title)]
            return self._listing("plo", cat, page, lambda items, nxt: render.news_listing(
                "plo", cat, items, page, nxt, self.state.as_of, extra + dup(items)))
        return self._news_common("plo", rest, q, sites.PLO_CATEGORIES, "in-bai")


# ---- HTTP ------------------------------------------------------------------------------------

def _not_modified(headers, resp: MirrorResponse) -> bool:
    etag = resp.headers.get("ETag")
    inm = headers.get("If-None-Match")
    if inm is not None:
        return etag is not None and (inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")])
    ims = headers.get("If-Modified-Since")
    lm = resp.headers.get("Last-Modified")
    if ims and lm:
        try:
            return parsedate_to_datetime(lm) <= parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True     # headers and body are separate writes; avoid 40 ms delayed-ACK stalls
    timeout = 60                        # drop idle keep-alive connections
    server_version = "Microsoft-IIS/8.5"
    sys_version = ""
    state: MirrorState
    router: Router

    def log_message(self, format, *args):   # quiet: the request log is the record
        pass

    def do_GET(self):
        self._handle(head=False)

    def do_HEAD(self):
        self._handle(head=True)

    def do_POST(self):
        if urlsplit(self.path).path == "/_mirror/control":
            return self._control_post()
        self._send(MirrorResponse(405, {"Content-Type": "text/plain", "Allow": "GET, HEAD"}, b"method not allowed\n"))

    # -- control
    def _json(self, obj, status=200):
        data = (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")
        self._send(MirrorResponse(status, {"Content-Type": "application/json"}, data))

    def _control_post(self):
        try:
            n = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(n) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("control body must be a JSON object")
            if "faults" in body:
                self.state.faults.reset(FaultSpec.from_value(body["faults"]))
            if "as_of" in body:
                self.state.as_of = _as_date(body["as_of"])
            if body.get("reset_log"):
                self.state.reset_log()
        except (ValueError, TypeError) as exc:
            return self._json({"error": str(exc)}, 400)
        self._json(self.state.control_state())

    # -- pages
    def _handle(self, head: bool):
        split = urlsplit(self.path)
        path, query = split.path, split.query
        full = path + (f"?{query}" if query else "")
        if path == "/_mirror/control":
            return self._json(self.state.control_state())
        if path == "/_mirror/requests":
            return self._json([list(e) for e in self.state.entries()])
        self._entry = [self.command, full, "other", False]       # method, path, kind, logged
        try:
            try:
                routed = self.router.route(path, query, MirrorRequest(self.command, full, dict(self.headers)))
            except ValueError as exc:
                routed = None
                resp = MirrorResponse(400, {"Content-Type": "text/plain; charset=utf-8"}, f"{exc}\n".encode())
            else:
                resp = MirrorResponse(404, {"Content-Type": "text/html; charset=utf-8"},
                                      "<html><body><h1>404 - Không tìm thấy trang</h1></body></html>".encode())
            if routed is not None:
                self._entry[2] = routed.kind
                if routed.make is not None:
                    fault = self.state.faults.decide(full, routed.kind)
                    resp = self._faulted(fault, routed, head)
                    if resp is None:        # the fault already answered (or the server is stopping)
                        return
            self._log(resp.status)
            self._send(resp, head)
        except Exception as exc:   # a bug in a page must answer 500, not drop the connection
            if not self._entry[3]:
                self._log(500)
                self._send(MirrorResponse(500, {"Content-Type": "text/plain; charset=utf-8"},
                                          f"mirror error: {type(exc).__name__}: {exc}\n".encode()), head)
            raise
        finally:
            self._log(500)      # only if nothing was logged: an unexpected error

    def _log(self, status: int) -> None:
        """Log the request once, before its answer is written, so a client never sees an unlogged reply."""
        method, full, kind, logged = self._entry
        if not logged:
            self._entry[3] = True
            self.state.log(MirrorRequestLog(method, full, status, kind))

    def _faulted(self, fault: str | None, routed: Routed, head: bool) -> MirrorResponse | None:
        spec = self.state.faults.spec
        if fault == "5xx":
            return MirrorResponse(503, {"Content-Type": "text/html; charset=utf-8"},
                                  b"<html><body><h1>503 Service Unavailable</h1></body></html>")
        if fault == "429":
            return MirrorResponse(429, {"Content-Type": "text/plain", "Retry-After": str(spec.retry_after)},
                                  b"Too Many Requests\n")
        if fault == "timeout":
            self._log(0)                # the client gives up before the answer: logged as status 0
            if self.state.stopping.wait(spec.timeout_s + 0.5):
                self.close_connection = True
                return None
        resp = routed.make()
        if resp.status == 200 and "ETag" in resp.headers and _not_modified(self.headers, resp):
            return MirrorResponse(304, {k: v for k, v in resp.headers.items() if k in ("ETag", "Last-Modified")})
        if fault == "charset" and isinstance(resp.body, bytes):
            resp.headers["Content-Type"] = "text/html; charset=ISO-8859-1"
        if fault == "truncate" and isinstance(resp.body, bytes) and resp.status == 200:
            body = resp.body
            self._log(200)
            self.send_response(200)
            for k, v in resp.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body) + 4096))
            self.end_headers()
            if not head:
                self._write(body[: len(body) // 2])
            self.close_connection = True
            return None
        return resp

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return False

    def _send(self, resp: MirrorResponse, head: bool = False):
        body = resp.body
        if isinstance(body, (bytes, bytearray)):
            length = len(body) if resp.content_length is None else resp.content_length
        else:
            length = resp.content_length
        try:
            self.send_response(resp.status)
            for k, v in resp.headers.items():
                self.send_header(k, v)
            if resp.status != 304 and length != -1:
                self.send_header("Content-Length", str(length or 0))
            elif length == -1:          # no length: the body ends when the connection closes
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return
        if head or resp.status == 304:
            return
        if isinstance(body, (bytes, bytearray)):
            self._write(body)
        else:
            for chunk in body:     # streamed (hostile huge page)
                if self.state.stopping.is_set() or not self._write(chunk):
                    break


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        # A client that hangs up early (size or time cap) is expected, not an error to print.
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class MirrorHandle:
    """A running mirror. Thread-safe; stop() is idempotent."""

    def __init__(self, server: _Server, state: MirrorState, thread: threading.Thread):
        self._server, self._state, self._thread = server, state, thread
        self.port = server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stopped = False

    @property
    def requests(self) -> list[MirrorRequestLog]:
        return self._state.entries()

    def request_counts(self, kind: str | None = None, host: str | None = None) -> int:
        if kind is not None and kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")
        return sum(1 for e in self._state.entries()
                   if (kind is None or e.kind == kind) and (host is None or e.host == host))

    def reset_log(self) -> None:
        self._state.reset_log()

    def fault_counts(self) -> dict[str, int]:
        """Faults served since the spec was set or the log reset, by kind ("5xx", "timeout", ...)."""
        return dict(self._state.faults.injected)

    def set_faults(self, spec) -> None:
        self._state.faults.reset(FaultSpec.from_value(spec))

    @property
    def faults(self) -> FaultSpec:
        return self._state.faults.spec

    def set_as_of(self, value) -> None:
        self._state.as_of = _as_date(value)

    @property
    def as_of(self) -> date | None:
        return self._state.as_of

    def mirror_url(self, real_url: str) -> str:
        """The mirror URL of a real-site URL (https://plo.vn/x -> http://127.0.0.1:PORT/plo.vn/x)."""
        s = urlsplit(real_url)
        return f"{self.url}/{s.hostname}{s.path or '/'}" + (f"?{s.query}" if s.query else "")

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._state.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MirrorHandle:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_mirror(port: int = 0, *, faults=None, as_of=None, host: str = "127.0.0.1") -> MirrorHandle:
    """Start the mirror on 127.0.0.1:port (0 = a free port) in a daemon thread."""
    state = MirrorState(faults, as_of)
    archive()                       # build (cached) before the first request
    render.listed("plo", "*", None)  # and the listing index
    router = Router(state)
    handler = type("MirrorHandler", (_Handler,), {"state": state, "router": router})
    server = _Server((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name=f"mirror-{server.server_address[1]}", daemon=True)
    thread.start()
    return MirrorHandle(server, state, thread)
