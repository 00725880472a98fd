"""Period resolver: the THADS statistical year starts on 1 October."""

from __future__ import annotations

import pytest

from scrapers.extract import extract_facts
from scrapers.extract.periods import find_periods
from scrapers.extract.textprep import prepare


def periods_of(text: str, year: int | None = None):
    p = prepare(text)
    return [(x.period_start, x.period_end, x.label) for x in find_periods(p.low, year, p.norm)]


@pytest.mark.parametrize("text,start,end", [
    ("năm 2021", "2020-10-01", "2021-09-30"),
    ("6 tháng đầu năm 2021", "2020-10-01", "2021-03-31"),
    ("05 tháng đầu năm 2023", "2022-10-01", "2023-02-28"),
    ("12 tháng năm 2019", "2018-10-01", "2019-09-30"),
    ("9 tháng năm 2024", "2023-10-01", "2024-06-30"),
    ("4 tháng đầu năm 2024", "2023-10-01", "2024-01-31"),
    ("sáu tháng đầu năm 2020", "2019-10-01", "2020-03-31"),
    ("quý I năm 2022", "2021-10-01", "2021-12-31"),
    ("Quý II/2021", "2021-01-01", "2021-03-31"),
    ("Quý III/2020", "2020-04-01", "2020-06-30"),
    ("quý IV/2020", "2020-07-01", "2020-09-30"),
    ("quý 3 năm 2018", "2018-04-01", "2018-06-30"),
    ("từ 1/10/2020 đến 31/3/2021", "2020-10-01", "2021-03-31"),
    ("từ 1 - 10 - 2022 đến 31 - 3 - 2023", "2022-10-01", "2023-03-31"),
    ("từ ngày 01/10/2018 đến ngày 30/9/2019", "2018-10-01", "2019-09-30"),
    ("tính đến ngày 31/3/2024", "2023-10-01", "2024-03-31"),
    ("tính đến hết ngày 31/10/2023", "2023-10-01", "2023-10-31"),
    ("tính đến hết tháng 8/2022", "2021-10-01", "2022-08-31"),
    ("nhiệm kỳ 2016-2020", "2015-10-01", "2020-09-30"),
    ("giai đoạn 2021 – 2025", "2020-10-01", "2025-09-30"),
    ("tháng 3/2024", "2024-03-01", "2024-03-31"),
])
def test_period_table(text, start, end):
    got = periods_of(text)
    assert got and got[0][:2] == (start, end), got
    assert got[0][2] == text or text.endswith(got[0][2]) or got[0][2] in text


@pytest.mark.parametrize("text", [
    "so với cùng kỳ năm 2022", "so với năm 2019", "kỷ niệm 75 năm", "ngày 18 tháng 4 năm 2023",
    "từ năm 2015", "6 tháng cuối năm", "đến năm 2025",
])
def test_not_periods(text):
    assert periods_of(text, 2023) == []


def test_year_from_context():
    assert periods_of("6 tháng đầu năm", 2024)[0][:2] == ("2023-10-01", "2024-03-31")
    assert periods_of("tính đến ngày 31/3", 2024)[0][:2] == ("2023-10-01", "2024-03-31")
    p = prepare("tính đến ngày 31/12")
    got = find_periods(p.low, 2025, p.norm, published="2025-01-10")
    assert (got[0].period_start, got[0].period_end) == ("2024-10-01", "2024-12-31")
    assert periods_of("quý I", 2022)[0][:2] == ("2021-10-01", "2021-12-31")
    assert periods_of("6 tháng đầu năm", None) == []


def test_figure_takes_sentence_then_paragraph_then_main_period():
    text = ("Kết quả thi hành án 6 tháng đầu năm 2022\n"
            "Năm 2021, Cục THADS tỉnh Bến Tre thi hành xong 4.000 việc.\n"
            "Trong quý I/2022 thụ lý mới 1.200 việc. Có điều kiện thi hành 900 việc.\n"
            "Chưa có điều kiện thi hành 300 việc.")
    got = {f["metric"]: (f["period_start"], f["period_end"]) for f in extract_facts(text)}
    assert got["completed"] == ("2020-10-01", "2021-09-30")       # its own sentence
    assert got["new"] == ("2021-10-01", "2021-12-31")
    assert got["enforceable"] == ("2021-10-01", "2021-12-31")     # paragraph's last period
    assert got["unenforceable"] == ("2021-10-01", "2022-03-31")   # the title's (main) period


def test_no_period_written_uses_publication_date():
    text = "Cục THADS tỉnh Bến Tre đã thi hành xong 4.210 việc."
    f = extract_facts(text, published="2024-04-09")[0]
    assert (f["period_start"], f["period_end"]) == ("2023-10-01", "2024-03-31")
    f = extract_facts(text, published="2019-10-10")[0]
    assert (f["period_start"], f["period_end"]) == ("2018-10-01", "2019-09-30")
    f = extract_facts(text)[0]
    assert (f["period_start"], f["period_end"]) == (None, None)
