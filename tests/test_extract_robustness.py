"""extract_facts never raises, finds nothing where there is nothing, keeps offsets exact;
the article file format and the `thads extract` command."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrapers.cli import main as thads_main
from scrapers.extract import extract_facts
from scrapers.extract.article_file import read_article
from scrapers.facts_schema import FACT_FIELDS, validate

VI = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", "The court enforced 1,234 cases worth $5 million, up 12% on 2022.",
    "Lorem ipsum dolor sit amet 123.456", "việc việc tỷ tỷ % %% 1/2/3",
    "Công tác thi hành án dân sự tiếp tục được quan tâm, chỉ đạo sát sao.",
    "\x00\x01\ufffd", "1" * 5000, "tỷ lệ " * 200,
])
def test_nothing_to_find(text):
    assert extract_facts(text) == []


@pytest.mark.parametrize("bad", [None, 12, b"bytes", ["list"]])
def test_non_string_input_is_empty(bad):
    assert extract_facts(bad) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(VI + VI.upper() + "0123456789.,;:%()/- \n")), max_size=400))
def test_never_raises_and_offsets_hold(text):
    facts = extract_facts(text)
    for f in facts:
        assert tuple(f) == FACT_FIELDS
        assert validate(f) == []
        assert text[f["char_start"]:f["char_end"]] == f["quote"]


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_unicode(text):
    assert isinstance(extract_facts(text), list)


def test_nfd_input_offsets_index_the_given_text():
    nfc = "Năm 2021, Cục THADS tỉnh Hòa Bình đã thi hành xong 3.583 việc, đạt tỉ lệ 45,67%."
    nfd = unicodedata.normalize("NFD", nfc)
    a, b = extract_facts(nfc), extract_facts(nfd)
    assert [(f["metric"], f["value"], f["scope_name"]) for f in a] == \
        [(f["metric"], f["value"], f["scope_name"]) for f in b] == \
        [("completed", 3583, "Hòa Bình"), ("completion_rate", 45.67, "Hòa Bình")]
    for f in b:
        assert nfd[f["char_start"]:f["char_end"]] == f["quote"]


def test_domain_and_category():
    text = ("Năm 2023, về thi hành án hành chính, toàn quốc đang theo dõi 1.035 bản án. "
            "Đối với án tín dụng, ngân hàng, đã thi hành xong 9.000 việc; án tham nhũng, kinh tế thi hành xong "
            "650 việc. Các khoản thu cho ngân sách nhà nước thi hành xong 120.000 việc.")
    got = [(f["metric"], f["value"], f["domain"], f["category"]) for f in extract_facts(text)]
    assert got == [("tracked", 1035, "administrative", "all"),
                   ("completed", 9000, "civil", "credit_banking"),
                   ("completed", 650, "civil", "corruption_economic"),
                   ("completed", 120000, "civil", "state_budget")]


def test_article_file(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("url: https://thads.moj.gov.vn/bentre/x\ntitle: T\npublished: 2024-04-09\n---\nBody\n---\nmore",
                 encoding="utf-8")
    a = read_article(p)
    assert (a.url, a.title, a.published, a.text) == ("https://thads.moj.gov.vn/bentre/x", "T", "2024-04-09",
                                                     "Body\n---\nmore")
    p.write_text("Just text\n09/04/2024\nbody", encoding="utf-8")
    a = read_article(p)
    assert (a.url, a.title, a.published, a.text) == (None, None, None, "Just text\n09/04/2024\nbody")


def test_command_single_and_many(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("url: https://thads.moj.gov.vn/danang/x\n---\nCục THADS\n09/04/2024\n"
                 "Tổng số phải giải quyết là 12.082 việc.", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("published: 2023-03-29\n---\nKhông có số liệu.", encoding="utf-8")
    assert thads_main(["extract", str(a)]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["file"] == str(a) and one["published"] == "2024-04-09"
    assert [(f["metric"], f["value"], f["scope_name"]) for f in one["facts"]] == [("total", 12082, "Đà Nẵng")]
    assert thads_main(["extract", str(a), str(b)]) == 0
    many = json.loads(capsys.readouterr().out)
    assert [m["file"] for m in many] == [str(a), str(b)]
    assert many[1] == {"file": str(b), "published": "2023-03-29", "facts": []}


def test_command_missing_file_reports_and_continues(tmp_path, capsys):
    a = tmp_path / "a.txt"
    a.write_text("Tổng số phải thi hành là 100 việc.", encoding="utf-8")
    rc = thads_main(["extract", str(tmp_path / "nope.txt"), str(a)])
    out = json.loads(capsys.readouterr().out)
    assert rc == 1
    assert out[0]["facts"] == [] and "error" in out[0]
    assert out[1]["facts"][0]["value"] == 100


@pytest.mark.parametrize("text", [
    "Theo Nghị quyết số 96/2019/QH14, Nghị định 62/2015/NĐ-CP và Quyết định số 460/QĐ-BTP ngày 28/3/2023.",
    "Hội nghị được tổ chức tại điểm cầu Trung ương và 63 điểm cầu địa phương.",
    "Kỷ niệm 75 năm ngày truyền thống THADS (19/7/1946-19/7/2021), nhiệm kỳ 2021-2026.",
    "Ngành xếp thứ 5/34 về cải cách hành chính, gấp 3 lần năm trước.",
    "Tòa án nhân dân tỉnh đã thụ lý 1.200 việc trong năm 2023.",
    "Viện kiểm sát nhân dân đã kiểm sát 300 việc thi hành án.",
    "Thừa phát lại đã tống đạt 5.000 văn bản và tổ chức thi hành 40 việc.",
    "Trong năm, Cục đã tiếp 215 lượt công dân, giải quyết 45 việc khiếu nại, tố cáo, tổ chức 12 cuộc họp.",
    "Cục THADS đã ra 12.340 quyết định thi hành án và tổ chức 85 cuộc cưỡng chế.",
    "Tỷ lệ giải ngân vốn đầu tư công đạt 96,5%; tỷ lệ hướng dẫn nghiệp vụ đạt 100%.",
    "Số việc có điều kiện chiếm 73,3% tổng số phải thi hành (giảm 1,2% so với cùng kỳ).",
    "Nhiều vụ việc có giá trị phải thi hành lên đến hàng trăm tỷ đồng.",
])
def test_distractors_give_nothing(text):
    assert extract_facts(text) == []


def test_docs_example(repo_root, capsys):
    path = repo_root / "tests" / "extract_cases" / "example-bentre.txt"
    assert thads_main(["extract", str(path)]) == 0
    out = json.loads(capsys.readouterr().out)
    got = [(f["metric"], f["unit"], f["basis"], f["value"], f["change_value"]) for f in out["facts"]]
    assert got == [("total", "cases", None, 8403, None), ("carried_over", "cases", None, 3120, None),
                   ("new", "cases", None, 5283, None), ("completed", "cases", None, 4210, None),
                   ("completion_rate", "percent", "cases", 69.02, 1.5)]
    assert {(f["scope_name"], f["period_start"], f["period_end"]) for f in out["facts"]} == \
        {("Bến Tre", "2018-10-01", "2019-09-30")}
