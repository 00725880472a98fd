"""Hostile pages: an extension point for reliability tests.

``HOSTILE`` maps a mirror path (with host prefix, no query) to a handler ``(MirrorRequest) ->
MirrorResponse``. Add one with ``register_hostile(path, handler)``; the server consults the registry
before any other route and logs the request with kind 'article'.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class MirrorRequest:
    method: str
    path: str                 # mirror path with query
    headers: dict


@dataclass
class MirrorResponse:
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: bytes | Iterable[bytes] = b""     # an iterable is streamed (its length must be in Content-Length)
    content_length: int | None = None       # when streaming; default len(body)


Handler = Callable[[MirrorRequest], MirrorResponse]
HOSTILE: dict[str, Handler] = {}


def register_hostile(path: str, handler: Handler) -> Handler:
    HOSTILE[path] = handler
    return handler


def hostile(path: str):
    def deco(fn: Handler) -> Handler:
        return register_hostile(path, fn)
    return deco


HTML = "text/html; charset=utf-8"
BASE = "/plo.vn/hostile"


@hostile(f"{BASE}/empty-body-post990001.html")
def _empty(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(200, {"Content-Type": HTML}, b"")


@hostile(f"{BASE}/binary-post990002.html")
def _binary(req: MirrorRequest) -> MirrorResponse:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
    return MirrorResponse(200, {"Content-Type": HTML}, data)


_BOMB_SIZE = 100 * 1024 * 1024


def _bomb() -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=9) as gz:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(_BOMB_SIZE // len(chunk)):
            gz.write(chunk)
    return buf.getvalue()


_BOMB_CACHE: list[bytes] = []


@hostile(f"{BASE}/gzip-bomb-post990003.html")
def _gzip_bomb(req: MirrorRequest) -> MirrorResponse:
    if not _BOMB_CACHE:
        _BOMB_CACHE.append(_bomb())
    return MirrorResponse(200, {"Content-Type": HTML, "Content-Encoding": "gzip"}, _BOMB_CACHE[0])


_HUGE = 50 * 1024 * 1024


@hostile(f"{BASE}/huge-post990004.html")
def _huge(req: MirrorRequest) -> MirrorResponse:
    head = b"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Trang rat lon</title></head><body>"
    tail = b"</body></html>"
    filler = b"<p>" + b"x" * 1017 + b"</p>\n"      # 1 KiB

    def chunks():
        yield head
        left = _HUGE - len(head) - len(tail)
        block = filler * 64
        while left > 0:
            piece = block[:left]
            left -= len(piece)
            yield piece
        yield tail
    return MirrorResponse(200, {"Content-Type": HTML}, chunks(), content_length=_HUGE)


@hostile(f"{BASE}/redirect-loop-post990005.html")
def _loop(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(302, {"Location": "https://plo.vn/hostile/redirect-loop-b-post990005.html"})


@hostile(f"{BASE}/redirect-loop-b-post990005.html")
def _loop_b(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(302, {"Location": "https://plo.vn/hostile/redirect-loop-post990005.html"})


@hostile(f"{BASE}/offsite-redirect-post990006.html")
def _offsite(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(302, {"Location": "https://example.com/tin-tuc/bai-viet-post1.html"})


@hostile(f"{BASE}/js-only-post990007.html")
def _js_only(req: MirrorRequest) -> MirrorResponse:
    page = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>PLO</title></head><body>'
            '<div id="root"></div><noscript>Vui lòng bật JavaScript.</noscript>'
            '<script src="/static/js/app.8f3a.js"></script></body></html>')
    return MirrorResponse(200, {"Content-Type": HTML}, page.encode())


HOSTILE_TITLES = {
    f"{BASE}/empty-body-post990001.html": "Trang trống",
    f"{BASE}/binary-post990002.html": "Trang nhị phân",
    f"{BASE}/gzip-bomb-post990003.html": "Trang nén",
    f"{BASE}/huge-post990004.html": "Trang rất lớn",
    f"{BASE}/redirect-loop-post990005.html": "Chuyển hướng vòng",
    f"{BASE}/offsite-redirect-post990006.html": "Chuyển hướng ra ngoài",
    f"{BASE}/js-only-post990007.html": "Trang chỉ có JavaScript",
}
