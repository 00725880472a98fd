"""More hostile pages for the reliability tests, linked from plo.vn listings only when
``hostile_links`` is ``"all"`` (``True`` keeps the original seven of ``hostile.py``).

Each entry of ``EXPECTED`` says what a well-behaved crawler must do with the page: a quarantine
reason, or ``"lands"`` (the article is recovered and lands clean). ``EXTRA_LINKS`` are listing links
that point nowhere fetchable (another scheme, a private address): the crawler must record them,
never request them.
"""

from __future__ import annotations

import time

from scrapers.mirror.hostile import BASE, HOSTILE_TITLES, HTML, MirrorRequest, MirrorResponse, hostile

# An on-topic body (keywords + statistics cues) long enough to pass min_body_chars.
GOOD_BODY = (
    "Trong 10 tháng đầu năm 2019, các cơ quan thi hành án dân sự trên địa bàn thành phố đã thi hành xong "
    "12.345 việc, đạt tỷ lệ 80,5% số việc có điều kiện thi hành.",
    "Tổng số phải thi hành là 20.000 việc; số việc chưa có điều kiện thi hành chuyển kỳ sau là 3.210 việc.",
    "Cục THADS cho biết sẽ tiếp tục rà soát, phân loại án để đẩy nhanh tiến độ trong các tháng cuối năm.",
)


def article(title: str, date_html: str, body_html: str, *, head: str = '<meta charset="utf-8">') -> str:
    """A plo.vn article page (same selectors as render.plo_article) with the given parts."""
    return (f'<!DOCTYPE html><html lang="vi"><head>{head}<title>{title}</title></head><body>'
            f'<article class="article"><div class="article__meta">{date_html}</div>'
            f'<h1 class="article__title">{title}</h1>'
            f'<div class="article__sapo">(PLO)- Kết quả thi hành án dân sự 10 tháng đầu năm.</div>'
            f'<div class="article__body">{body_html}</div></article></body></html>')


def paragraphs(lines=GOOD_BODY) -> str:
    return "".join(f"<p>{ln}</p>" for ln in lines)


DATE_OK = '<time datetime="2019-11-05T08:00:00+07:00">05/11/2019 08:00</time>'

EXPECTED: dict[str, str] = {}
EXTENDED_TITLES: dict[str, str] = {}


def page(name: str, title: str, expected: str):
    """Register a hostile page at BASE/<name> that listings link as https://plo.vn/hostile/<name>."""
    path = f"{BASE}/{name}"
    EXPECTED[path] = expected
    EXTENDED_TITLES[path] = title
    return hostile(path)


@page("no-date-post990008.html", "Bài không có ngày", "no_date")
def _no_date(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(200, {"Content-Type": HTML}, article("Bài không có ngày đăng", "", paragraphs()).encode())


@page("future-date-post990009.html", "Bài ngày tương lai", "future_date")
def _future(req: MirrorRequest) -> MirrorResponse:
    date = '<time datetime="2099-01-01T08:00:00+07:00">01/01/2099 08:00</time>'
    return MirrorResponse(200, {"Content-Type": HTML}, article("Bài đăng năm 2099", date, paragraphs()).encode())


@page("soft-404-post990010.html", "Trang lỗi trả 200", "no_body")
def _soft_404(req: MirrorRequest) -> MirrorResponse:
    html = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>404 - Không tìm thấy trang</title></head>'
            '<body><h1>Không tìm thấy trang</h1><p>Trang bạn yêu cầu không tồn tại hoặc đã bị xóa.</p>'
            '<a href="/">Về trang chủ</a></body></html>')
    return MirrorResponse(200, {"Content-Type": HTML}, html.encode())


@page("gone-post990011.html", "Bài đã bị gỡ", "http_error")
def _gone(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(404, {"Content-Type": HTML}, b"<html><body>Not found</body></html>")


_CHUNKED = 8 * 1024 * 1024


@page("no-length-huge-post990012.html", "Trang lớn không có độ dài", "size_cap")
def _no_length(req: MirrorRequest) -> MirrorResponse:
    def chunks():
        yield b"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        block = b"<p>" + b"y" * 1017 + b"</p>\n"
        for _ in range(_CHUNKED // len(block)):
            yield block
        yield b"</body></html>"
    # content_length=-1: no Content-Length header; the body ends when the connection closes.
    return MirrorResponse(200, {"Content-Type": HTML}, chunks(), content_length=-1)


@page("report-post990013.html", "Tệp PDF", "not_html")
def _pdf(req: MirrorRequest) -> MirrorResponse:
    body = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 512 /Filter /FlateDecode >>\nstream\n"
            + bytes((i * 37 + 11) % 256 for i in range(4096)) + b"\nendstream\nendobj\n%%EOF\n")
    return MirrorResponse(200, {"Content-Type": "application/pdf"}, body)


@page("one-line-post990014.html", "Một dòng rất dài", "size_cap")
def _one_line(req: MirrorRequest) -> MirrorResponse:
    line = b"<span>thi hanh an</span>" * (4 * 1024 * 1024 // 24)
    body = b"<!DOCTYPE html><html><body><div class='article__body'>" + line + b"</div></body></html>"
    return MirrorResponse(200, {"Content-Type": HTML}, body)


@page("null-bytes-post990015.html", "Bài có byte NUL", "not_html")
def _nul(req: MirrorRequest) -> MirrorResponse:
    html = article("Bài có byte rỗng", DATE_OK, paragraphs()).encode()
    return MirrorResponse(200, {"Content-Type": HTML}, html.replace(b"<p>", b"<p>\x00\x00", 3))


@page("scripts-only-post990019.html", "Thân bài chỉ có script", "no_body")
def _scripts_only(req: MirrorRequest) -> MirrorResponse:
    body = ('<script>document.write("thi hành án dân sự thi hành xong".repeat(40))</script>'
            '<iframe src="https://ads.example.vn/frame"><p>thi hành án dân sự thi hành xong</p></iframe>'
            '<noscript>' + "Vui lòng bật JavaScript. " * 20 + '</noscript>'
            '<style>.x{color:red}</style>')
    return MirrorResponse(200, {"Content-Type": HTML}, article("Trang script", DATE_OK, body).encode())


@page("whitespace-only-post990020.html", "Chỉ có khoảng trắng", "empty_body")
def _not_markup(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(200, {"Content-Type": HTML}, b"   \n\t  \r\n   ")


@page("server-error-post990021.html", "Lỗi máy chủ kéo dài", "http_error")
def _server_error(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(500, {"Content-Type": HTML}, b"<html><body>Internal Server Error</body></html>")


@page("redirect-metadata-post990022.html", "Chuyển hướng tới địa chỉ nội bộ", "redirect_off_site")
def _redirect_private(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(302, {"Location": "http://169.254.169.254/latest/meta-data/"})


@page("redirect-scheme-post990023.html", "Chuyển hướng sang ftp", "redirect_off_site")
def _redirect_scheme(req: MirrorRequest) -> MirrorResponse:
    return MirrorResponse(302, {"Location": "ftp://plo.vn/hostile/file-post990023.html"})


@page("slow-drip-post990024.html", "Trang nhỏ giọt", "time_cap")
def _slow(req: MirrorRequest) -> MirrorResponse:
    head = b"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><p>"
    n = 40

    def chunks():
        yield head
        for _ in range(n):          # 40 x 0.25 s: each read is quick, the whole body is not
            time.sleep(0.25)
            yield b"x" * 64
        yield b"</p></body></html>"
    return MirrorResponse(200, {"Content-Type": HTML}, chunks(), content_length=len(head) + n * 64 + 18)


@page("deep-nesting-post990025.html", "Lồng thẻ rất sâu", "no_body")
def _deep(req: MirrorRequest) -> MirrorResponse:
    depth = 20000
    html = ("<!DOCTYPE html><html><body>" + "<div>" * depth + "sâu" + "</div>" * depth + "</body></html>")
    return MirrorResponse(200, {"Content-Type": HTML}, html.encode())


# ---- pages that must be recovered and land clean ------------------------------------------------

@page("broken-markup-post990029.html", "HTML hỏng", "lands")
def _broken(req: MirrorRequest) -> MirrorResponse:
    # Unclosed and mis-nested tags, a stray end tag, an unquoted attribute: parsers must recover.
    body = (f"<p>{GOOD_BODY[0]}<p><b><i>{GOOD_BODY[1]}</b></i></span></div class=x>"
            f"<p class=a b=>{GOOD_BODY[2]}<table><tr><td>")
    html = article("Thi hành án dân sự: HTML hỏng", DATE_OK, body).replace("</article></body></html>", "")
    return MirrorResponse(200, {"Content-Type": HTML}, html.encode())


@page("wrong-charset-post990026.html", "Sai bảng mã", "lands")
def _wrong_charset(req: MirrorRequest) -> MirrorResponse:
    # UTF-8 bytes, header and meta both claim windows-1252.
    html = article("Thi hành án dân sự: sai bảng mã", DATE_OK, paragraphs(),
                   head='<meta charset="windows-1252">')
    return MirrorResponse(200, {"Content-Type": "text/html; charset=windows-1252"}, html.encode("utf-8"))


@page("no-charset-post990027.html", "Không khai báo bảng mã", "lands")
def _no_charset(req: MirrorRequest) -> MirrorResponse:
    html = article("Thi hành án dân sự: không khai báo bảng mã", DATE_OK, paragraphs(), head="")
    return MirrorResponse(200, {"Content-Type": "text/html"}, html.encode("utf-8"))


SCRIPT_MARK = "EVIL_SCRIPT_MARK"


@page("scripts-iframes-post990028.html", "Bài có script và iframe", "lands")
def _scripts(req: MirrorRequest) -> MirrorResponse:
    body = (f'<script>var {SCRIPT_MARK} = 1;</script>' + paragraphs(GOOD_BODY[:1])
            + f'<iframe src="https://evil.example/{SCRIPT_MARK}">{SCRIPT_MARK}</iframe>'
            + f'<p onclick="alert(1)">{GOOD_BODY[1]}</p><script type="module">import "{SCRIPT_MARK}";</script>'
            + paragraphs(GOOD_BODY[2:]) + f'<object data="{SCRIPT_MARK}.swf"></object>')
    return MirrorResponse(200, {"Content-Type": HTML}, article("Thi hành án dân sự: bài có script", DATE_OK,
                                                               body).encode())


COOKIE_VALUE = "thads-test-cookie-7f3a9c"


@page("set-cookie-post990030.html", "Bài đặt cookie", "lands")
def _cookie(req: MirrorRequest) -> MirrorResponse:
    # A session cookie and an auth challenge: their values must never reach logs or the lake.
    headers = {"Content-Type": HTML, "Set-Cookie": f"ASP.NET_SessionId={COOKIE_VALUE}; path=/; HttpOnly",
               "WWW-Authenticate": f'Basic realm="{COOKIE_VALUE}"'}
    return MirrorResponse(200, headers, article("Thi hành án dân sự: bài đặt cookie", DATE_OK,
                                                paragraphs()).encode())


# Listing links that must never be requested: another scheme, a private address.
EXTRA_LINKS: dict[str, tuple[str, str]] = {
    "ftp://plo.vn/hostile/ftp-link-post990016.html": ("Liên kết ftp", "bad_scheme"),
    "http://192.168.10.5/hostile/private-ip-post990017.html": ("Liên kết địa chỉ nội bộ", "private_address"),
}


def listing_links(mode) -> list[tuple[str, str]]:
    """(href, title) pairs a plo.vn page-1 listing adds for ``hostile_links`` = True or "all"."""
    if not mode:
        return []
    paths = dict(HOSTILE_TITLES)
    if mode == "all":
        paths.update(EXTENDED_TITLES)
    links = [("https:/" + p, t) for p, t in paths.items()]
    if mode == "all":
        links += [(href, title) for href, (title, _) in EXTRA_LINKS.items()]
    return links
