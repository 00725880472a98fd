"""Prose of the generated articles, with the facts each sentence states.

A ``Body`` collects paragraphs; ``fact(fragment, ...)`` appends a fragment and records the fact it states,
with the fragment as its quote. Phrasing stays inside what /work/shared/spec/facts.md covers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from scrapers.mirror.figures import admin_figures, figures, staff
from scrapers.mirror.periods import Period
from scrapers.mirror.vntext import fmt_int, fmt_money, fmt_pct


@dataclass(frozen=True)
class Scope:
    level: str                 # national | province | district
    name: str | None           # canonical: 'Bến Tre', 'Hà Nội / Ba Đình'; None for national
    prose: str = ""            # 'tỉnh Bến Tre', 'huyện Châu Thành'

    @property
    def agency(self) -> str:
        if self.level == "national":
            return "toàn Hệ thống THADS"
        if self.level == "district":
            return f"Chi cục THADS {self.prose}"
        return f"Cục THADS {self.prose}"

    @property
    def whole(self) -> str:
        if self.level == "national":
            return "cả nước"
        return {"district": "toàn huyện"}.get(self.level, "toàn tỉnh")


@dataclass
class Body:
    paras: list[str] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    _cur: list[str] = field(default_factory=list)

    def text(self, s: str) -> Body:
        self._cur.append(s)
        return self

    def fact(self, s: str, ctx: dict, **f) -> Body:
        self._cur.append(s)
        rec = {"metric": None, "unit": None, "basis": None, "value": None, "qualifier": "exact",
               "change_value": None, "change_pct": None, "compared_to": None, **ctx, **f, "quote": s}
        self.facts.append(rec)
        return self

    def fact_changed(self, s: str, change: tuple[str, dict] | None, cmp: str, ctx: dict, **f) -> Body:
        """A figure, followed by its change against ``cmp`` when the report states one."""
        if change:
            return self.fact(f"{s}, {change[0]} so với {cmp}", ctx, compared_to=cmp, **f, **change[1])
        return self.fact(s, ctx, **f)

    def end(self) -> Body:
        if self._cur:
            self.paras.append("".join(self._cur))
            self._cur = []
        return self


def ctx_of(scope: Scope, period: Period, domain: str = "civil", category: str = "all") -> dict:
    return {"period_start": period.start.isoformat(), "period_end": period.end.isoformat(),
            "period_label": period.label, "scope_level": scope.level, "scope_name": scope.name,
            "domain": domain, "category": category}


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _change(cur: float, prev: float, basis: str, pct_style: int) -> tuple[str, dict] | None:
    """'tăng 345 việc (tăng 4,93%)' and its change fields, or None when nothing changed."""
    diff = cur - prev
    if diff == 0 or prev <= 0:
        return None
    word = "tăng" if diff > 0 else "giảm"
    pct = round(100 * diff / prev, 2)
    amount = f"{fmt_int(abs(diff))} việc" if basis == "cases" else fmt_money(abs(int(diff)))
    if pct_style == 0:
        txt = f"{word} {amount} (tăng {fmt_pct(abs(pct))}%)" if diff > 0 else f"{word} {amount} ({fmt_pct(abs(pct))}%)"
    else:
        txt = f"{word} {amount}, {word} {fmt_pct(abs(pct))}%"
    return txt, {"change_value": diff, "change_pct": pct}


def _rate_change(cur: float, prev: float) -> tuple[str, dict] | None:
    diff = round(cur - prev, 2)
    if diff == 0:
        return None
    word = "tăng" if diff > 0 else "giảm"
    return f"{word} {fmt_pct(abs(diff))}%", {"change_value": diff}


def _amount(v: int, basis: str) -> str:
    return f"{fmt_int(v)} việc" if basis == "cases" else fmt_money(v)


def _lead(period: Period, rng: random.Random) -> str:
    if period.style in ("asof", "range"):
        return cap(period.label)
    return rng.choice([cap(period.label), f"Trong {period.label}", f"Kết quả {period.label}"])


def cases_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random, *, with_changes=True) -> None:
    ctx = ctx_of(scope, period)
    f = figures(scope.level, scope.name, "all", period, "cases")
    p = figures(scope.level, scope.name, "all", period.previous_year(), "cases")
    cmp = f"cùng kỳ năm {period.stat_year - 1}"
    chg_new = _change(f.new, p.new, "cases", rng.randrange(2)) if with_changes else None
    chg_done = _change(f.completed, p.completed, "cases", rng.randrange(2)) if with_changes else None
    chg_rate = _rate_change(f.rate, p.rate) if with_changes and rng.random() < 0.6 else None
    variant = rng.randrange(2)
    if variant == 0:
        b.text(f"{_lead(period, rng)}, {scope.agency} có ")
        b.fact(f"tổng số việc phải thi hành là {fmt_int(f.total)} việc", ctx, metric="total", unit="cases",
               value=f.total)
        b.text(", trong đó ")
        b.fact(f"năm trước chuyển sang {fmt_int(f.carried_over)} việc", ctx, metric="carried_over",
               unit="cases", value=f.carried_over)
        b.text(", ")
        b.fact_changed(f"thụ lý mới {fmt_int(f.new)} việc", chg_new, cmp, ctx,
                       metric="new", unit="cases", value=f.new)
        b.text(". Số ")
        b.fact(f"có điều kiện thi hành là {fmt_int(f.enforceable)} việc", ctx, metric="enforceable",
               unit="cases", value=f.enforceable)
        b.text("; ")
        b.fact(f"chưa có điều kiện thi hành là {fmt_int(f.unenforceable)} việc", ctx, metric="unenforceable",
               unit="cases", value=f.unenforceable)
        b.text(". Đã ")
        b.fact_changed(f"thi hành xong {fmt_int(f.completed)} việc", chg_done, cmp, ctx,
                       metric="completed", unit="cases", value=f.completed)
        b.text(", ")
        b.fact_changed(f"đạt tỷ lệ {fmt_pct(f.rate)}% về việc", chg_rate, cmp, ctx,
                       metric="completion_rate", unit="percent", basis="cases", value=f.rate)
        b.text(". Số việc ")
        b.fact(f"còn phải thi hành chuyển kỳ sau là {fmt_int(f.remaining)} việc", ctx, metric="remaining",
               unit="cases", value=f.remaining)
        b.text(".").end()
    else:
        b.text(f"{_lead(period, rng)}, số liệu của {scope.agency} cho thấy ")
        b.fact(f"tổng số phải giải quyết là {fmt_int(f.total)} việc", ctx, metric="total", unit="cases",
               value=f.total)
        b.text(" (")
        b.fact(f"số cũ chuyển sang {fmt_int(f.carried_over)} việc", ctx, metric="carried_over", unit="cases",
               value=f.carried_over)
        b.text("; ")
        b.fact_changed(f"số mới thụ lý {fmt_int(f.new)} việc", chg_new, cmp, ctx,
                       metric="new", unit="cases", value=f.new)
        b.text("); số ")
        b.fact(f"có điều kiện giải quyết là {fmt_int(f.enforceable)} việc", ctx, metric="enforceable",
               unit="cases", value=f.enforceable)
        b.text("; đã ")
        b.fact(f"giải quyết xong {fmt_int(f.completed)} việc", ctx, metric="completed", unit="cases",
               value=f.completed)
        b.text(", ")
        b.fact_changed(f"đạt tỉ lệ {fmt_pct(f.rate)}% về việc", chg_rate, cmp, ctx,
                       metric="completion_rate", unit="percent", basis="cases", value=f.rate)
        b.text("; ")
        b.fact(f"còn phải thi hành {fmt_int(f.remaining)} việc", ctx, metric="remaining", unit="cases",
               value=f.remaining)
        b.text(".").end()


def money_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random, *, with_changes=True) -> None:
    ctx = ctx_of(scope, period)
    f = figures(scope.level, scope.name, "all", period, "money")
    p = figures(scope.level, scope.name, "all", period.previous_year(), "money")
    cmp = f"cùng kỳ năm {period.stat_year - 1}"
    chg_new = _change(f.new, p.new, "money", rng.randrange(2)) if with_changes else None
    if rng.randrange(2) == 0:
        b.text("Về tiền, ")
        b.fact(f"tổng số phải thi hành là {fmt_money(f.total)}", ctx, metric="total", unit="vnd", value=f.total)
        b.text(", trong đó ")
        b.fact(f"năm trước chuyển sang {fmt_money(f.carried_over)}", ctx, metric="carried_over", unit="vnd",
               value=f.carried_over)
        b.text(", ")
        b.fact_changed(f"thụ lý mới {fmt_money(f.new)}", chg_new, cmp, ctx,
                       metric="new", unit="vnd", value=f.new)
        b.text("; ")
        b.fact(f"có điều kiện thi hành là {fmt_money(f.enforceable)}", ctx, metric="enforceable", unit="vnd",
               value=f.enforceable)
        b.text("; đã ")
        b.fact(f"thi hành xong {fmt_money(f.completed)}", ctx, metric="completed", unit="vnd",
               value=f.completed)
        b.text(", ")
        b.fact(f"đạt tỷ lệ {fmt_pct(f.rate)}% về tiền", ctx, metric="completion_rate", unit="percent",
               basis="money", value=f.rate)
        b.text(".").end()
    else:
        b.text("Tương ứng với ")
        b.fact(f"số tiền phải thi hành là {fmt_money(f.total)}", ctx, metric="total", unit="vnd", value=f.total)
        b.text("; ")
        b.fact(f"số tiền có điều kiện thi hành là {fmt_money(f.enforceable)}", ctx, metric="enforceable",
               unit="vnd", value=f.enforceable)
        b.text("; ")
        b.fact(f"số tiền chưa có điều kiện thi hành là {fmt_money(f.unenforceable)}", ctx,
               metric="unenforceable", unit="vnd", value=f.unenforceable)
        b.text("; ")
        b.fact(f"số tiền đã thi hành xong là {fmt_money(f.completed)}", ctx, metric="completed", unit="vnd",
               value=f.completed)
        b.text(", ")
        b.fact(f"đạt tỉ lệ {fmt_pct(f.rate)}% về tiền", ctx, metric="completion_rate", unit="percent",
               basis="money", value=f.rate)
        b.text(".").end()


CATEGORY_PHRASE = {
    "credit_banking": ["Đối với án tín dụng, ngân hàng", "Riêng đối với các việc thi hành án tín dụng, ngân hàng"],
    "corruption_economic": ["Đối với án tham nhũng, kinh tế", "Riêng án tham nhũng, kinh tế"],
    "state_budget": ["Đối với các khoản thu cho ngân sách nhà nước"],
}


def category_paragraph(b: Body, scope: Scope, period: Period, category: str, rng: random.Random) -> None:
    # One clause joined by commas: a ';' would end the category's scope (as in the dev set's seed-001).
    ctx = ctx_of(scope, period, category=category)
    fc = figures(scope.level, scope.name, category, period, "cases")
    fm = figures(scope.level, scope.name, category, period, "money")
    b.text(f"{rng.choice(CATEGORY_PHRASE[category])}, {period.label}, số ")
    b.fact(f"có điều kiện thi hành là {fmt_int(fc.enforceable)} việc", ctx, metric="enforceable",
           unit="cases", value=fc.enforceable)
    b.text(", tương ứng ")
    b.fact(fmt_money(fm.enforceable), ctx, metric="enforceable", unit="vnd", value=fm.enforceable)
    b.text(", đã ")
    b.fact(f"thi hành xong {fmt_int(fc.completed)} việc", ctx, metric="completed", unit="cases",
           value=fc.completed)
    b.text(", ")
    b.fact(f"thu được {fmt_money(fm.completed)}", ctx, metric="completed", unit="vnd", value=fm.completed)
    b.text(", ")
    b.fact(f"đạt tỷ lệ {fmt_pct(fc.rate)}% về việc", ctx, metric="completion_rate", unit="percent",
           basis="cases", value=fc.rate)
    b.text(" và ")
    b.fact(f"{fmt_pct(fm.rate)}% về tiền", ctx, metric="completion_rate", unit="percent", basis="money",
           value=fm.rate)
    b.text(".").end()


def quarter_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random) -> None:
    ctx = ctx_of(scope, period)
    fc = figures(scope.level, scope.name, "all", period, "cases")
    pc = figures(scope.level, scope.name, "all", period.previous_year(), "cases")
    fm = figures(scope.level, scope.name, "all", period, "money")
    cmp = f"cùng kỳ năm {period.stat_year - 1}"
    chg = _change(fc.new, pc.new, "cases", rng.randrange(2))
    b.text(f"{cap(period.label)}, {scope.agency} ")
    if chg:
        b.fact(f"thụ lý mới {fmt_int(fc.new)} việc, {chg[0]} so với {cmp}", ctx, metric="new", unit="cases",
               value=fc.new, compared_to=cmp, **chg[1])
    else:
        b.fact(f"thụ lý mới {fmt_int(fc.new)} việc", ctx, metric="new", unit="cases", value=fc.new)
    b.text(", tương ứng với ")
    b.fact(fmt_money(fm.new), ctx, metric="new", unit="vnd", value=fm.new)
    b.text("; đã ")
    b.fact(f"thi hành xong {fmt_int(fc.completed)} việc", ctx, metric="completed", unit="cases",
           value=fc.completed)
    b.text(", ")
    b.fact(f"thu được {fmt_money(fm.completed)}", ctx, metric="completed", unit="vnd", value=fm.completed)
    b.text(".").end()


def staff_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random) -> None:
    ctx = ctx_of(scope, period)
    n = staff(scope.level, scope.name, period.stat_year)
    total = figures(scope.level, scope.name, "all", period, "cases").total
    per = max(1, round(total / (n * 0.45)))
    b.text(f"Hiện nay, {scope.agency} có ")
    b.fact(f"{fmt_int(n)} biên chế", ctx, metric="staff", unit="persons", value=n)
    b.text(", khối lượng công việc lớn, ")
    b.fact(f"bình quân mỗi Chấp hành viên phải xử lý {fmt_int(per)} việc", ctx, metric="cases_per_enforcer",
           unit="cases", value=per)
    b.text(rng.choice([", áp lực công việc rất lớn.", "; nhiều vụ việc có tính chất phức tạp."])).end()


def admin_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random) -> None:
    ctx = ctx_of(scope, period, domain="administrative")
    tracked, done = admin_figures(scope.level, scope.name, period.stat_year)
    b.text(f"Về công tác theo dõi thi hành án hành chính, {period.label}, {scope.agency} ")
    b.fact(f"đang theo dõi {fmt_int(tracked)} bản án, quyết định", ctx, metric="tracked", unit="judgments",
           value=tracked)
    b.text("; ")
    b.fact(f"đã thi hành xong {fmt_int(done)} bản án, quyết định", ctx, metric="completed", unit="judgments",
           value=done)
    b.text(rng.choice([".", "; các trường hợp còn lại đang được đôn đốc thi hành."])).end()


def headline_paragraph(b: Body, scope: Scope, period: Period, rng: random.Random, prefix: str) -> None:
    """A news sapo with rounded figures: 'thi hành xong hơn 560 nghìn việc ... gần 120 nghìn tỷ đồng'."""
    ctx = ctx_of(scope, period)
    fc = figures(scope.level, scope.name, "all", period, "cases")
    fm = figures(scope.level, scope.name, "all", period, "money")
    b.text(f"{prefix}{cap(period.label)}, {'các cơ quan THADS cả nước' if scope.level == 'national' else scope.agency}"
           " đã ")
    # Rounded, so the sapo never repeats the body's exact figure with different change fields.
    step = 1000 if fc.completed >= 1000 else 100
    down = (fc.completed - 1) // step * step
    if down >= step:
        shown = f"{fmt_int(down // 1000)} nghìn việc" if step == 1000 else f"{down} việc"
        b.fact(f"thi hành xong hơn {shown}", ctx, metric="completed", unit="cases", value=down, qualifier="over")
    else:
        b.fact(f"thi hành xong {fmt_int(fc.completed)} việc", ctx, metric="completed", unit="cases",
               value=fc.completed)
    ty = fm.completed / 1e9
    b.text(", với ")
    if ty >= 2:
        up = math.ceil(ty)
        if up * 10**9 > fm.completed and rng.random() < 0.5:
            b.fact(f"số tiền gần {fmt_int(up)} tỷ đồng", ctx, metric="completed", unit="vnd",
                   value=up * 10**9, qualifier="approx")
        else:
            down = math.floor(ty)
            qual, word = ("over", "hơn ") if down * 10**9 < fm.completed else ("exact", "")
            b.fact(f"số tiền {word}{fmt_int(down)} tỷ đồng", ctx, metric="completed", unit="vnd",
                   value=down * 10**9, qualifier=qual)
    else:
        b.fact(f"số tiền {fmt_money(fm.completed)}", ctx, metric="completed", unit="vnd", value=fm.completed)
    b.text(".").end()


# ---- figure-free prose ------------------------------------------------------------------------------

OPENINGS = [
    "Bám sát các nhiệm vụ trọng tâm, {agency} đã quyết liệt trong lãnh đạo, chỉ đạo, điều hành, "
    "thực hiện đồng bộ nhiều giải pháp trên tất cả các mặt công tác.",
    "Trong bối cảnh còn nhiều khó khăn, thách thức, lượng án thụ lý mới tiếp tục tăng, {agency} đã nỗ lực "
    "khắc phục khó khăn, triển khai nhiều giải pháp linh hoạt để hoàn thành chỉ tiêu, nhiệm vụ được giao.",
    "Ngay từ đầu năm công tác, {agency} đã chủ động tham mưu cho cấp ủy, chính quyền địa phương ban hành "
    "văn bản chỉ đạo, tăng cường công tác phối hợp liên ngành trong thi hành án dân sự.",
    "Với phương châm hướng về cơ sở, {agency} duy trì họp giao ban định kỳ, nghe các đơn vị báo cáo các vụ "
    "việc khó khăn, phức tạp để kịp thời hướng dẫn, chỉ đạo nghiệp vụ.",
]
CLOSINGS = [
    "Thời gian tới, {agency} tiếp tục đẩy mạnh đồng bộ các giải pháp, tập trung thi hành dứt điểm các vụ "
    "việc có điều kiện thi hành, nhất là các vụ việc có giá trị lớn, phức tạp.",
    "Lãnh đạo đơn vị yêu cầu tăng cường kỷ luật, kỷ cương hành chính, nâng cao chất lượng công tác xác "
    "minh, phân loại án, phấn đấu hoàn thành các chỉ tiêu, nhiệm vụ được giao.",
    "Các đại biểu đã tập trung thảo luận, làm rõ những tồn tại, hạn chế và đề xuất nhiều giải pháp nâng "
    "cao hiệu quả công tác thi hành án dân sự trong thời gian tới.",
    "Bên cạnh những kết quả đạt được, công tác thi hành án vẫn còn một số khó khăn, vướng mắc như tài sản "
    "bán đấu giá nhiều lần không thành, phối hợp có lúc còn chưa kịp thời.",
]
