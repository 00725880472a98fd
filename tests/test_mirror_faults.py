"""Mirror faults: deterministic per (seed, path, attempt), bounded streaks, each kind's HTTP behaviour, CLI."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

import pytest
import requests

from scrapers.mirror.faults import FAULT_KINDS, FaultSpec, FaultSpecError, FaultState, parse_cli

PATHS = [f"/plo.vn/x-post{i}.html" for i in range(300)]


def run(spec: FaultSpec, paths, attempts: int) -> list:
    st = FaultState(spec)
    return [[st.decide(p, "article") for _ in range(attempts)] for p in paths]


def test_faults_are_deterministic_for_a_seed_and_differ_across_seeds():
    spec = FaultSpec.from_value({"seed": 7, "rates": {"5xx": 0.2, "429": 0.1, "timeout": 0.05, "truncate": 0.1,
                                                       "charset": 0.05}})
    a, b = run(spec, PATHS, 6), run(spec, PATHS, 6)
    assert a == b
    other = run(FaultSpec.from_value({**spec.to_dict(), "seed": 8}), PATHS, 6)
    assert other != a
    seen = {f for row in a for f in row}
    assert seen == set(FAULT_KINDS) | {None}
    # the draw depends on (path, attempt), not on how requests to different paths interleave
    st = FaultState(spec)
    interleaved = {p: [] for p in PATHS[:50]}
    for _ in range(6):
        for p in reversed(PATHS[:50]):
            interleaved[p].append(st.decide(p, "article"))
    assert [interleaved[p] for p in PATHS[:50]] == a[:50]


def test_rates_are_roughly_honoured():
    spec = FaultSpec.from_value({"seed": 1, "rates": {"5xx": 0.3}})
    first = [row[0] for row in run(spec, [f"/p{i}" for i in range(2000)], 1)]
    assert 0.25 < first.count("5xx") / len(first) < 0.35


@pytest.mark.parametrize("limit", [0, 1, 3])
def test_a_path_never_fails_more_than_max_consecutive_times(limit):
    spec = FaultSpec.from_value({"seed": 3, "rates": {"5xx": 0.5, "429": 0.3}, "max_consecutive": limit})
    for row in run(spec, PATHS, 12):
        streak = 0
        for f in row:
            streak = streak + 1 if f else 0
            assert streak <= limit
    always = run(FaultSpec.from_value({"rates": {"5xx": 1.0}, "max_consecutive": limit}), PATHS[:3], 2 * (limit + 1))
    assert always[0] == (["5xx"] * limit + [None]) * 2


def test_faults_only_hit_the_configured_kinds():
    st = FaultState(FaultSpec.from_value({"rates": {"5xx": 1.0}}))
    assert st.decide("/plo.vn/robots.txt", "robots") is None
    assert st.decide("/plo.vn/rss/home.rss", "rss") == "5xx"
    st = FaultState(FaultSpec.from_value({"rates": {"5xx": 1.0}, "kinds": ["robots"]}))
    assert st.decide("/plo.vn/robots.txt", "robots") == "5xx"
    assert st.decide("/plo.vn/rss/home.rss", "rss") is None


def test_bad_specs_are_rejected_with_a_reason():
    for bad, word in (({"rates": {"boom": 0.1}}, "boom"), ({"rates": {"5xx": 2}}, "5xx"),
                      ({"rates": {"5xx": 0.6, "429": 0.6}}, "more than 1"), ({"sede": 1}, "sede"), ("5xx", "key=value"),
                      ("{not json", "JSON"), (["x"], "dict")):
        with pytest.raises(FaultSpecError, match=word):
            FaultSpec.from_value(bad)


def test_cli_shorthand():
    assert parse_cli("5xx=0.2,429=0.1,seed=7,endless_listings=1,crawl_delay=0.5,kinds=rss+article") == {
        "rates": {"5xx": 0.2, "429": 0.1}, "seed": 7, "endless_listings": True, "crawl_delay": 0.5,
        "kinds": ["rss", "article"]}
    assert FaultSpec.from_value('{"rates": {"timeout": 0.1}, "timeout_s": 0.3}').timeout_s == 0.3


# Every test gets the session mirror (tests/conftest.py), cleared before and after.
pytestmark = pytest.mark.usefixtures("fresh_mirror")


RSS = "/plo.vn/rss/home.rss"


def test_5xx_then_success_over_http(mirror):
    mirror.set_faults({"rates": {"5xx": 1.0}, "max_consecutive": 2})
    codes = [requests.get(mirror.url + RSS, timeout=5).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert [e.status for e in mirror.requests] == [503, 503, 200]


def test_429_carries_retry_after(mirror):
    mirror.set_faults({"rates": {"429": 1.0}, "retry_after": 2, "max_consecutive": 1})
    r = requests.get(mirror.url + RSS, timeout=5)
    assert r.status_code == 429 and r.headers["Retry-After"] == "2"
    assert requests.get(mirror.url + RSS, timeout=5).status_code == 200


def test_timeout_exceeds_the_client_timeout(mirror):
    mirror.set_faults({"rates": {"timeout": 1.0}, "timeout_s": 0.3, "max_consecutive": 1})
    t0 = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(mirror.url + RSS, timeout=0.3)
    assert time.monotonic() - t0 >= 0.3
    assert requests.get(mirror.url + RSS, timeout=5).status_code == 200


def test_truncated_body_is_detected_by_the_client(mirror):
    mirror.set_faults({"rates": {"truncate": 1.0}, "max_consecutive": 1})
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(mirror.url + RSS, timeout=5)
    # a raw client sees a Content-Length larger than the bytes sent
    mirror.set_faults({"rates": {"truncate": 1.0}, "max_consecutive": 1})
    conn = http.client.HTTPConnection("127.0.0.1", mirror.port, timeout=5)
    conn.request("GET", RSS)
    resp = conn.getresponse()
    declared = int(resp.getheader("Content-Length"))
    with pytest.raises(http.client.IncompleteRead) as exc:
        resp.read()
    assert len(exc.value.partial) < declared
    conn.close()


def test_wrong_charset_header_fault(mirror):
    mirror.set_faults({"rates": {"charset": 1.0}, "max_consecutive": 1})
    r = requests.get(mirror.url + "/plo.vn/phap-luat/", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=ISO-8859-1"
    assert "Pháp luật" in r.content.decode("utf-8")


def test_same_spec_same_statuses_over_http(mirror):
    spec = {"seed": 11, "rates": {"5xx": 0.3, "429": 0.2}}
    paths = [f"/plo.vn/phap-luat/?page={i}" for i in range(1, 15)]

    def statuses():
        mirror.set_faults(spec)
        with requests.Session() as s:
            return [s.get(mirror.url + p, timeout=5).status_code for p in paths for _ in range(2)]
    first, second = statuses(), statuses()
    assert first == second and {503, 429, 200} <= set(first)


def test_cli_serve_runs_and_is_steerable():
    proc = subprocess.Popen([sys.executable, "-m", "scrapers.cli", "mirror", "serve", "--port", "0",
                             "--faults", "5xx=1.0,max_consecutive=1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("MIRROR_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        assert requests.get(url + RSS, timeout=5).status_code == 503
        assert requests.get(url + RSS, timeout=5).status_code == 200
        state = requests.post(url + "/_mirror/control", json={"faults": None, "reset_log": True}, timeout=5).json()
        assert state["faults"]["rates"] == {} and state["requests"] == 0
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


def test_cli_rejects_a_bad_fault_spec():
    res = subprocess.run([sys.executable, "-m", "scrapers.cli", "mirror", "serve", "--port", "0", "--faults", "boom=1"],
                         capture_output=True, text=True, timeout=30)
    assert res.returncode == 2 and "boom" in res.stderr
