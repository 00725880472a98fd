"""HTML, RSS and robots.txt of the four sources, in each site's style (markup documented in docs/mirror.md).

Links are written as on the real site (root-relative or absolute real URLs); the crawler maps them.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from html import escape

from scrapers.mirror import sites
from scrapers.mirror.archive import Article, archive, update_note

VN = timezone(timedelta(hours=7))


def _h(s: str) -> str:
    return escape(s, quote=True)


def _pick(*key: object) -> float:
    return int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:4], "big") / 2**32


def when(a: Article, d: date | None = None) -> datetime:
    """Publication time: the date plus a fixed hour, Vietnam time."""
    d = d or a.published
    return datetime(d.year, d.month, d.day, 7 + a.item_id % 12, (a.item_id * 7) % 60, tzinfo=VN)


def last_changed(a: Article, as_of: date | None) -> datetime:
    return when(a, a.modified if a.updated_at(as_of) else a.published)


# ---- listings and their order ------------------------------------------------------------------------

def listing_key(a: Article) -> tuple[str, str]:
    if a.source == "thads":
        return ("thads", a.subsite or "")
    return (a.source, a.listing)


@lru_cache(maxsize=1)
def _lists() -> dict[tuple[str, str], list[Article]]:
    out: dict[tuple[str, str], list[Article]] = {}
    for a in archive().articles:
        out.setdefault(listing_key(a), []).append(a)
        if a.source in ("baophapluat", "plo"):
            out.setdefault((a.source, "*"), []).append(a)
    for items in out.values():
        items.sort(key=lambda a: (when(a), a.item_id), reverse=True)
    return out


def listed(source: str, key: str, as_of: date | None) -> list[Article]:
    return [a for a in _lists().get((source, key), []) if a.visible(as_of)]


def older_neighbours(a: Article, n: int = 4) -> list[Article]:
    """Articles listed just after ``a`` (older), for 'other news' / related blocks; visible whenever a is."""
    items = _lists()[listing_key(a)]
    i = next(i for i, x in enumerate(items) if x is a)
    return [x for x in items[i + 1:i + 1 + n * 2] if x.published <= a.published][:n]


# ---- link variants (thads / moj) --------------------------------------------------------------------

def _mixed_case(path: str) -> str:
    head, _, query = path.partition("?")
    segs = [s[:1].upper() + s[1:] if s else s for s in head.split("/")]
    return "/".join(segs) + ("?" + query if query else "")


def link_for(a: Article, context: str) -> str:
    """How a listing or related block writes the link to ``a``: usually root-relative, sometimes a variant
    that the crawler must collapse to the canonical URL."""
    if a.source not in ("thads", "moj"):
        return a.url if _pick(a.item_id, context) < 0.3 else a.path
    r = _pick(a.source, a.subsite, a.section, a.item_id, context)
    host = a.host
    if r < 0.72:
        return a.path
    if r < 0.78:
        # robots.txt matching is case-sensitive (RFC 9309): keep disallowed paths in their canonical case
        # so "never fetched" has one meaning.
        return f"https://{host}:443{a.path if a.robots_disallowed else _mixed_case(a.path)}"
    if r < 0.84:
        return f"http://{host}{a.path}"
    if r < 0.90:
        return a.path.replace("?ItemID=", "?itemid=")
    if r < 0.95:
        return f"{a.path}&utm_source=home&utm_medium=list"
    return f"https://{host.upper() if r < 0.975 else host}{a.path}"


# ---- article bodies --------------------------------------------------------------------------------

TOOLBAR = ('<div class="image-toolbar"><span class="tb-left">left</span><span class="tb-center">center</span>'
           '<span class="tb-right">right</span><span class="tb-del">del</span></div>')


def body_html(a: Article, as_of: date | None) -> str:
    out = []
    related = older_neighbours(a, 6)
    img_n = rel_n = 0
    for kind, text in a.blocks:
        if kind == "p":
            out.append(f"<p>{_h(text)}</p>")
        elif kind == "sub":
            out.append(f"<p><strong>{_h(text)}</strong></p>")
        elif kind == "toolbar":
            img_n += 1
            out.append(f'<div class="image-block">{TOOLBAR}<img src="/uploaded/{a.item_id}-{img_n}.jpg" alt=""></div>')
        elif kind == "caption":
            out.append(f'<p class="image-caption" style="text-align:center"><em>{_h(text)}</em></p>')
        elif kind == "image":
            img_n += 1
            out.append(f'<figure class="picture"><img src="/uploaded/{a.item_id}-{img_n}.jpg" alt="{_h(text)}">'
                       f"<figcaption>{_h(text)}</figcaption></figure>")
        elif kind == "related":
            block = related[3 * rel_n:3 * rel_n + 3] or related[:3]
            rel_n += 1
            links = "".join(f'<li><a href="{_h(link_for(r, "related"))}">{_h(r.title)}</a></li>' for r in block)
            out.append(f'<div class="related-box"><h3 class="related-box__title">{_h(text)}</h3><ul>{links}</ul></div>')
    if a.updated_at(as_of):
        out.append(f'<p class="update-note">{_h(update_note(a))}</p>')
    return "\n".join(out)


def _doc(head: str, body: str, charset: str = "utf-8") -> str:
    return (f'<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="{charset}">\n{head}\n</head>\n'
            f"<body>\n{body}\n</body>\n</html>\n")


# ---- thads.moj.gov.vn (SharePoint) --------------------------------------------------------------

def _thads_site(subsite: str | None) -> tuple[str, str]:
    """(web prefix, site title)."""
    if not subsite:
        return "", "Tổng cục Thi hành án dân sự - Bộ Tư pháp"
    return f"/{subsite}", f"Cục Thi hành án dân sự {sites.PROVINCES[subsite][1]}"


def _sp_chrome(prefix: str, site_title: str, listing: str, inner: str) -> str:
    return f"""<form method="post" id="aspnetForm">
<div id="s4-ribbonrow"><span class="ms-siteactions-root"><a href="/_layouts/15/Authenticate.aspx">Đăng nhập</a></span></div>
<div id="s4-workspace"><div id="s4-bodyContainer">
<div class="header"><div class="banner"><a href="{prefix}/"><img src="{prefix}/PublishingImages/banner.png" alt="{_h(site_title)}"></a></div>
<ul class="menu-top"><li><a href="{prefix}/">Trang chủ</a></li><li><a href="{prefix}/noidung/gioithieu/Pages/gioi-thieu.aspx">Giới thiệu</a></li>
<li><a href="{listing}">Tin tức - Sự kiện</a></li><li><a href="{prefix}/noidung/vanban/Pages/van-ban.aspx">Văn bản chỉ đạo điều hành</a></li>
<li><a href="{prefix}/noidung/thongbao/Pages/thong-bao.aspx">Thông báo</a></li><li><a href="{prefix}/noidung/lienhe/Pages/lien-he.aspx">Liên hệ</a></li></ul>
<div class="search-box"><input type="text" title="Tìm kiếm" value="Tìm kiếm..."><a href="{prefix}/_layouts/15/osssearchresults.aspx">Tìm</a></div></div>
<div class="breadcrumb"><a href="{prefix}/">Trang chủ</a> &gt; <a href="{listing}">Tin tức - Sự kiện</a></div>
<div id="contentBox">
{inner}
</div>
<div class="footer"><p class="footer-title">{_h(site_title.upper())}</p>
<p>Địa chỉ: Trụ sở cơ quan | Điện thoại: 0275.3822.000 | Email: thads@moj.gov.vn</p>
<p>Bản quyền thuộc Tổng cục Thi hành án dân sự - Bộ Tư pháp. Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></div>
</div></div></form>
<script type="text/javascript">ExecuteOrDelayUntilScriptLoaded(function(){{ SP.SOD.executeFunc('sp.js'); }}, "sp.js");</script>"""


def _sp_head(title: str, canonical: str, prefix: str) -> str:
    return (f'<meta http-equiv="X-UA-Compatible" content="IE=10">\n<title>{_h(title)}</title>\n'
            f'<link rel="canonical" href="{_h(canonical)}">\n'
            '<link rel="stylesheet" href="/_layouts/15/1066/styles/Themable/corev15.css">\n'
            '<script type="text/javascript" src="/_layouts/15/init.js"></script>\n'
            f'<script type="text/javascript">var _spPageContextInfo = {{webServerRelativeUrl: "{prefix or "/"}", '
            'webLanguage: 1066, currentLanguage: 1066};</script>')


def thads_article(a: Article, as_of: date | None, charset: str = "utf-8") -> str:
    prefix, site_title = _thads_site(a.subsite)
    listing = f"{prefix}/{sites.THADS_LISTING}"
    others = "".join(f'<li><a href="{_h(link_for(o, "other"))}">{_h(o.title)}</a> <span class="date">'
                     f'({o.published:%d/%m/%Y})</span></li>' for o in older_neighbours(a, 5))
    inner = f"""<div class="detail-news">
<h1 class="title-detail">{_h(a.title)}</h1>
<div class="date-box"><span class="date-detail">{a.published:%d/%m/%Y}</span></div>
<div class="ms-rtestate-field content-detail">
{body_html(a, as_of)}
</div>
<div class="author-detail"><strong>{_h(a.author)}</strong></div>
<div class="tool-detail"><a href="javascript:window.print();" class="print">In trang</a> | <a href="mailto:?subject={_h(a.title)}" class="email">Gửi email</a> | <a href="https://www.facebook.com/sharer/sharer.php?u={_h(a.url)}" class="share-fb">Chia sẻ</a> | <a href="javascript:history.back();">Quay lại</a></div>
<div class="other-news"><h3>Các tin khác</h3><ul>{others}</ul></div>
</div>"""
    return _doc(_sp_head(a.title, a.url, prefix), _sp_chrome(prefix, site_title, listing, inner), charset)


def _pager(page: int, has_next: bool, href) -> str:
    parts = []
    if page > 1:
        parts.append(f'<a class="prev" href="{href(page - 1)}">Trang trước</a>')
    parts += [f'<a href="{href(p)}">{p}</a>' for p in range(max(1, page - 2), page)]
    parts.append(f'<span class="current">{page}</span>')
    if has_next:
        parts.append(f'<a href="{href(page + 1)}">{page + 1}</a>')
        parts.append(f'<a class="next" href="{href(page + 1)}">Trang sau</a>')
    return " ".join(parts)


def page_slice(items: list[Article], page: int, endless: bool) -> tuple[list[Article], bool]:
    """Items of a 1-based page and whether a next page is linked."""
    n = sites.PAGE_SIZE
    last = max(1, -(-len(items) // n))
    if page > last:
        if endless:
            return items[(last - 1) * n:last * n], True
        return [], False
    return items[(page - 1) * n:page * n], page < last or endless


def thads_listing(subsite: str, items: list[Article], page: int, has_next: bool, as_of: date | None) -> str:
    prefix, site_title = _thads_site(subsite or None)
    listing = f"{prefix}/{sites.THADS_LISTING}"
    rows = []
    for a in items:
        upd = (f'<span class="news-updated">Cập nhật: {a.modified:%d/%m/%Y}</span>' if a.updated_at(as_of) else "")
        summary = next((t for k, t in a.blocks if k == "p"), "")[:220]
        rows.append(f'<div class="news-item"><a class="news-title" href="{_h(link_for(a, f"list{page}"))}">'
                    f'{_h(a.title)}</a> <span class="news-date">{a.published:%d/%m/%Y}</span>{upd}'
                    f'<p class="news-summary">{_h(summary)}</p></div>')
    inner = ('<h2 class="list-title">Tin tức - Sự kiện</h2>\n<div class="list-news">\n' + "\n".join(rows)
             + f'\n</div>\n<div class="paging">{_pager(page, has_next, lambda p: f"?Page={p}")}</div>')
    return _doc(_sp_head(f"Tin tức - {site_title}", f"https://{sites.HOSTS['thads']}{listing}", prefix),
                _sp_chrome(prefix, site_title, listing, inner))


# ---- moj.gov.vn (SharePoint) -------------------------------------------------------------------

def _moj_chrome(inner: str, category: str) -> str:
    menu = "".join(f'<li><a href="/qt/tintuc/Pages/{c}.aspx">{_h(sites.MOJ_CATEGORY_NAMES[c])}</a></li>'
                   for c in sites.MOJ_CATEGORIES)
    return f"""<form method="post" id="aspnetForm">
<div class="top-bar"><a href="/qt/Pages/home.aspx">Cổng thông tin điện tử Bộ Tư pháp</a> | <a href="/en/Pages/home.aspx">English</a></div>
<div class="header"><img src="/PublishingImages/logo-btp.png" alt="Bộ Tư pháp"><ul class="main-menu"><li><a href="/qt/Pages/home.aspx">Trang chủ</a></li>{menu}</ul></div>
<div class="breadcrumb"><a href="/qt/Pages/home.aspx">Trang chủ</a> &gt; <a href="/qt/tintuc/Pages/{category}.aspx">{_h(sites.MOJ_CATEGORY_NAMES.get(category, ""))}</a></div>
<div class="main-content">
{inner}
</div>
<div class="footer"><p>CỔNG THÔNG TIN ĐIỆN TỬ BỘ TƯ PHÁP</p><p>Cơ quan chủ quản: Bộ Tư pháp. Địa chỉ: 60 Trần Phú, Ba Đình, Hà Nội.</p></div>
</form>
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script>"""


def moj_article(a: Article, as_of: date | None, charset: str = "utf-8") -> str:
    others = "".join(f'<li><a href="{_h(link_for(o, "other"))}">{_h(o.title)}</a></li>' for o in older_neighbours(a, 5))
    inner = f"""<div class="news-detail">
<h1 class="news-title">{_h(a.title)}</h1>
<div class="news-date">{a.published:%d/%m/%Y}</div>
<div class="news-content">
{body_html(a, as_of)}
</div>
<div class="news-author">{_h(a.author)}</div>
<div class="news-tools"><a href="javascript:window.print()">In bài viết</a> <a href="mailto:?subject={_h(a.title)}">Gửi bài viết</a> <a href="https://www.facebook.com/sharer/sharer.php?u={_h(a.url)}">Chia sẻ</a></div>
<div class="other-news"><h3>Các tin đã đưa</h3><ul>{others}</ul></div>
</div>"""
    head = f'<title>{_h(a.title)}</title>\n<link rel="canonical" href="{_h(a.url)}">'
    return _doc(head, _moj_chrome(inner, a.listing or a.section), charset)


def moj_listing(category: str, items: list[Article], page: int, has_next: bool, as_of: date | None) -> str:
    rows = []
    for a in items:
        upd = f'<div class="news-updated">Cập nhật: {a.modified:%d/%m/%Y}</div>' if a.updated_at(as_of) else ""
        rows.append(f'<div class="news-item"><a class="news-title" href="{_h(link_for(a, f"list{page}"))}">'
                    f'{_h(a.title)}</a><div class="news-date">{a.published:%d/%m/%Y}</div>{upd}</div>')
    inner = (f'<h2>{_h(sites.MOJ_CATEGORY_NAMES[category])}</h2>\n<div class="ms-listviewtable list-news">\n'
             + "\n".join(rows) + f'\n</div>\n<div class="paging">{_pager(page, has_next, lambda p: f"?Page={p}")}</div>')
    head = f"<title>{_h(sites.MOJ_CATEGORY_NAMES[category])} - Bộ Tư pháp</title>"
    return _doc(head, _moj_chrome(inner, category))


# ---- news sites (baophapluat.vn, plo.vn) ---------------------------------------------------------

def _news_head(a: Article, as_of: date | None) -> str:
    pub = when(a).isoformat()
    mod = last_changed(a, as_of).isoformat()
    return (f"<title>{_h(a.title)}</title>\n<link rel=\"canonical\" href=\"{_h(a.url)}\">\n"
            f'<meta property="og:title" content="{_h(a.title)}">\n'
            f'<meta property="article:published_time" content="{pub}">\n'
            f'<meta property="article:modified_time" content="{mod}">\n'
            '<script async src="https://www.googletagmanager.com/gtag/js?id=G-XXXX"></script>\n'
            '<script>window.dataLayer = window.dataLayer || [];</script>')


COMMENTS = ('<div class="comment-box"><h3 class="comment-box__title">Ý kiến ()</h3>'
            '<textarea placeholder="Ý kiến của bạn"></textarea><button type="button">Gửi bình luận</button></div>')
ADS = '<div class="ads ads--inread"><a href="https://ads.example.vn/click"><img src="/ads/banner-300x250.jpg" alt="Quảng cáo"></a></div>'


def baophapluat_article(a: Article, as_of: date | None, charset: str = "utf-8") -> str:
    cats = "".join(f'<li><a href="/{c}/">{_h(sites.BPL_CATEGORY_NAMES[c])}</a></li>' for c in sites.BPL_CATEGORIES)
    t = when(a)
    body = f"""<header class="site-header"><a class="logo" href="/"><img src="/images/logo-plvn.svg" alt="Báo Pháp luật Việt Nam"></a>
<nav class="main-nav"><ul><li><a href="/">Trang chủ</a></li>{cats}</ul></nav></header>
{ADS}
<main class="main"><article class="article">
<div class="breadcrumb"><a href="/{a.listing}/">{_h(sites.BPL_CATEGORY_NAMES.get(a.listing, ""))}</a></div>
<h1 class="article__title">{_h(a.title)}</h1>
<div class="article__meta"><time class="article__time" datetime="{t.isoformat()}">{t:%d/%m/%Y %H:%M}</time> <span class="article__author">{_h(a.author)}</span></div>
<div class="article__sapo">{_h(a.sapo or "")}</div>
<div class="article__body cms-body">
{body_html(a, as_of)}
</div>
<div class="article__tools"><a href="https://www.facebook.com/sharer/sharer.php?u={_h(a.url)}">Chia sẻ</a> <a href="/preview/{a.slug}-post{a.item_id}.html?print=1">In bài</a> <a class="copy-link" href="#">Sao chép liên kết</a></div>
{COMMENTS}
</article></main>
<footer class="site-footer"><p>Báo Pháp luật Việt Nam - Cơ quan của Bộ Tư pháp</p><p>Giấy phép số 155/GP-BTTTT. Tòa soạn: 42/25 Núi Trúc, Ba Đình, Hà Nội.</p></footer>
<script>document.querySelectorAll('.cms-body img').forEach(function(i){{i.loading='lazy';}});</script>"""
    return _doc(_news_head(a, as_of), body, charset)


def plo_article(a: Article, as_of: date | None, charset: str = "utf-8") -> str:
    cats = "".join(f'<li><a href="/{c}/">{_h(sites.PLO_CATEGORY_NAMES[c])}</a></li>' for c in sites.PLO_CATEGORIES)
    t = when(a)
    body_cls = "article-content" if a.layout == "article-content" else "article__body"
    body = f"""<header class="header"><a class="header__logo" href="/"><img src="/images/logo-plo.svg" alt="Pháp Luật TP.HCM"></a>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li>{cats}</ul></nav></header>
<div class="container"><div class="main-col">
<article class="article">
<div class="article__meta"><a class="article__cate" href="/{a.listing}/">{_h(sites.PLO_CATEGORY_NAMES.get(a.listing, ""))}</a> <time datetime="{t.isoformat()}">{t:%d/%m/%Y %H:%M}</time></div>
<h1 class="article__title">{_h(a.title)}</h1>
<div class="article__sapo">{_h(a.sapo or "")}</div>
<div class="{body_cls}">
{body_html(a, as_of)}
<p class="article__author">{_h(a.author)}</p>
</div>
<div class="article__share"><a href="https://www.facebook.com/sharer/sharer.php?u={_h(a.url)}">Facebook</a> <a href="https://zalo.me/share?u={_h(a.url)}">Zalo</a> <a class="print" href="/in-bai/{a.slug}-post{a.item_id}.html">In bài</a></div>
{COMMENTS}
</article></div>
<aside class="sidebar">{ADS}<div class="box-most-read"><h3>Đọc nhiều</h3></div></aside></div>
<footer class="footer"><p>Báo Pháp Luật TP. Hồ Chí Minh - Cơ quan ngôn luận của Sở Tư pháp TP.HCM</p></footer>
<script>var plo = {{"articleId": {a.item_id}}};</script>"""
    head = _news_head(a, as_of).replace('<title>', '<link rel="alternate" type="application/rss+xml" href="/rss/home.rss">\n<title>')
    return _doc(head, body, charset)


def news_listing(source: str, category: str, items: list[Article], page: int, has_next: bool,
                 as_of: date | None, extra_links: list[tuple[str, str]] = ()) -> str:
    names = sites.BPL_CATEGORY_NAMES if source == "baophapluat" else sites.PLO_CATEGORY_NAMES
    rows = []
    for a in items:
        t = when(a)
        upd = ""
        if a.updated_at(as_of):
            upd = f'<span class="article-item__updated">Cập nhật {a.modified:%d/%m/%Y}</span>'
        href = _h(link_for(a, f"list{page}"))
        if source == "baophapluat":
            rows.append(f'<article class="article-item"><h3 class="article-item__title"><a href="{href}">{_h(a.title)}</a></h3>'
                        f'<time class="article-item__time" datetime="{t.isoformat()}">{t:%d/%m/%Y %H:%M}</time>{upd}'
                        f'<p class="article-item__sapo">{_h((a.sapo or "")[:200])}</p></article>')
        else:
            rows.append(f'<article class="story"><h2 class="story__heading"><a class="cms-link" href="{href}">{_h(a.title)}</a></h2>'
                        f'<time class="story__time" datetime="{t.isoformat()}">{t:%d/%m/%Y %H:%M}</time>{upd}</article>')
    for href, title in extra_links:
        rows.append(f'<article class="story article-item"><h2 class="story__heading article-item__title"><a class="cms-link" '
                    f'href="{_h(href)}">{_h(title)}</a></h2></article>')
    if source == "baophapluat":
        def href(p):
            return (f"/{category}/" if p == 1 else f"/{category}/trang-{p}.html")
        nxt = (f'<a class="pagination__next" rel="next" href="{href(page + 1)}">Trang sau</a>' if has_next else "")
        prev = f'<a class="pagination__prev" rel="prev" href="{href(page - 1)}">Trang trước</a>' if page > 1 else ""
        inner = (f'<h1 class="cate-title">{_h(names[category])}</h1><div class="list-articles">' + "\n".join(rows)
                 + f'</div><nav class="pagination">{prev}<span class="pagination__current">{page}</span>{nxt}</nav>')
    else:
        def href(p):
            return (f"/{category}/" if p == 1 else f"/{category}/?page={p}")
        inner = (f'<h1 class="cate-title">{_h(names[category])}</h1><div class="story-list">' + "\n".join(rows)
                 + f'</div><div class="pagination">{_pager(page, has_next, href)}</div>')
    menu = "".join(f'<li><a href="/{c}/">{_h(names[c])}</a></li>' for c in names)
    body = (f'<header class="header"><a href="/">Trang chủ</a><nav><ul>{menu}</ul></nav></header>\n{ADS}\n'
            f'<main>{inner}</main>\n<footer class="footer">{_h(sites.HOSTS[source])}</footer>')
    return _doc(f"<title>{_h(names[category])}</title>", body)


# ---- RSS and robots ------------------------------------------------------------------------------

def rss(source: str, title: str, link: str, items: list[Article], as_of: date | None) -> str:
    rows = []
    for a in items:
        upd = f"<atom:updated>{last_changed(a, as_of).isoformat()}</atom:updated>" if a.updated_at(as_of) else ""
        desc = a.sapo or next((t for k, t in a.blocks if k == "p"), "")
        rows.append(f"<item><title>{_h(a.title)}</title><link>{_h(a.url)}</link>"
                    f'<guid isPermaLink="true">{_h(a.url)}</guid><pubDate>{format_datetime(when(a))}</pubDate>'
                    f"{upd}<description>{_h(desc[:300])}</description></item>")
    newest = max((last_changed(a, as_of) for a in items), default=when_start())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">'
            f"<channel><title>{_h(title)}</title><link>{_h(link)}</link><description>{_h(title)}</description>"
            f"<language>vi</language><lastBuildDate>{format_datetime(newest)}</lastBuildDate>\n"
            + "\n".join(rows) + "\n</channel></rss>\n")


def when_start() -> datetime:
    return datetime(2019, 10, 1, tzinfo=VN)


def robots(source: str, crawl_delay: float | None) -> str:
    lines = ["User-agent: *"] + [f"Disallow: {p}" for p in sites.robots_disallow(source)]
    if crawl_delay is not None:
        lines.append(f"Crawl-delay: {crawl_delay:g}")
    lines.append("")
    return "\n".join(lines)


ARTICLE_RENDERERS = {"thads": thads_article, "moj": moj_article, "baophapluat": baophapluat_article,
                     "plo": plo_article}
