"""Security: what the crawler may fetch, secrets, the compose file, and the read-only warehouse
for analysts (issue 8)."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys

import pytest
import reliability_helpers
import requests
import yaml
from reliability_helpers import record

from scrapers.crawl.guards import date_problem, link_problem
from scrapers.crawl.http import FetchError, HttpClient, HttpSettings
from scrapers.sites import load_profiles

rel_env = reliability_helpers.rel_env     # the fixture


def client(mirror_url: str | None = None, **kw) -> HttpClient:
    return HttpClient(load_profiles(), HttpSettings(mirror_url=mirror_url, delay=0, max_retries=0, **kw))


# ---- what may be fetched -------------------------------------------------------------------------

@pytest.mark.parametrize("url, reason", [
    ("https://example.com/post-1.html", "host_not_allowed"),
    ("https://plo.vn.evil.example/post-1.html", "host_not_allowed"),
    ("https://evilplo.vn/post-1.html", "host_not_allowed"),
    ("http://127.0.0.1/plo.vn/post-1.html", "host_not_allowed"),
    ("http://169.254.169.254/latest/meta-data/", "host_not_allowed"),
    ("ftp://plo.vn/post-1.html", "bad_url"),
    ("file:///etc/passwd", "bad_url"),
    ("javascript:alert(1)", "bad_url"),
    ("gopher://plo.vn:70/_x", "bad_url"),
])
def test_only_allow_listed_hosts_and_http_schemes_are_fetched(url, reason, rel_env):
    # Even with the mirror on (which lifts only the private-address rule for the mirror itself).
    c = client(rel_env.url)
    before = len(rel_env.requests)
    with pytest.raises(FetchError) as exc:
        c.get(url)
    assert exc.value.reason == reason
    assert len(rel_env.requests) == before, "nothing was requested"


def test_allowed_host_resolving_to_a_private_address_is_refused(monkeypatch):
    asked = []

    def fake_getaddrinfo(host, *a, **kw):
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    sent = []
    monkeypatch.setattr(requests.Session, "get", lambda *a, **kw: sent.append(a) or pytest.fail("sent"))
    for url in ("https://plo.vn/phap-luat/", "https://thads.moj.gov.vn/bentre/noidung/tintuc/Pages/tin-tuc.aspx"):
        with pytest.raises(FetchError) as exc:
            client(None).get(url)
        assert exc.value.reason == "private_address"
    assert asked and not sent


@pytest.mark.parametrize("url, reason", [
    ("ftp://plo.vn/a-post1.html", "bad_scheme"),
    ("data:text/html,<script>", "bad_scheme"),
    ("http://10.0.0.8/a-post1.html", "private_address"),
    ("http://[::1]/a-post1.html", "private_address"),
    ("http://localhost:8080/a-post1.html", "private_address"),
    ("http://192.168.1.1/", "private_address"),
    ("https://plo.vn/a-post1.html", None),
    ("https://8.8.8.8/a-post1.html", None),     # public address: left to the host allow-list
])
def test_listing_link_guard(url, reason):
    assert link_problem(url) == reason


def test_date_guard():
    import datetime as dt

    today = dt.date(2026, 11, 22)
    assert date_problem(None, today)[0] == "no_date"
    assert date_problem("2026-11-23", today) is None          # one day of clock slack
    assert date_problem("2026-11-24", today)[0] == "future_date"
    assert date_problem("2019-10-01", today) is None


def test_size_and_time_caps_apply_to_every_response(rel_env, monkeypatch):
    # Caps from settings: a listing page (not only articles) over the size cap is refused.
    c = client(rel_env.url, max_bytes=2000)
    with pytest.raises(FetchError) as exc:
        c.get("https://plo.vn/phap-luat/", kind="listing")
    assert exc.value.reason == "size_cap"
    c = client(rel_env.url, max_seconds=0.5)
    with pytest.raises(FetchError) as exc:
        c.get("https://plo.vn/hostile/slow-drip-post990024.html")
    assert exc.value.reason == "time_cap"
    assert HttpSettings().max_seconds > 0 and all(p.politeness.max_bytes > 0 and p.politeness.timeout > 0
                                                  for p in load_profiles().values())


# ---- secrets ---------------------------------------------------------------------------------------

# Built from pieces so that this file does not match itself.
SECRET_PATTERNS = {
    "private key": "-----BEGIN " + r"(?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----",
    "AWS access key": r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
    "GitHub token": r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})\b",
    "Slack token": r"\bxox[abprs]-[A-Za-z0-9-]{10,}",
    "Google API key": r"\bAIza[0-9A-Za-z_-]{35}\b",
    "credentials in a URL": r"\b[a-z][a-z0-9+.-]*://[^\s:/@$'\"{}]+:[^\s@/$'\"{}]{3,}@",
    "password literal": r"(?i)(?:password|passwd|secret|api_?key|token)[a-z0-9_]*\s*[:=]\s*['\"][^'\"\s$]{6,}['\"]",
    "Fernet key literal": r"(?i)fernet_key\s*[:=]\s*['\"]?[A-Za-z0-9_-]{43}=",
}
# Placeholders that are not secrets.
ALLOWED = re.compile(r"(?i)changeme|example|placeholder|dummy|<[^>]+>|\$\{|xxx|your[_-]|\bUSER:PASSWORD@")


def tracked_files(repo_root):
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=repo_root, capture_output=True, check=True,
                             timeout=60).stdout
        return [repo_root / p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.SubprocessError):
        skip = {".git", ".venv", "data", "test-artifacts", "node_modules", "__pycache__", "dbt_target"}
        return [p for p in repo_root.rglob("*") if p.is_file() and not skip & set(p.relative_to(repo_root).parts)]


def test_no_credentials_in_tracked_files(repo_root):
    hits, scanned = [], 0
    compiled = {name: re.compile(p) for name, p in SECRET_PATTERNS.items()}
    for path in tracked_files(repo_root):
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        scanned += 1
        for name, rx in compiled.items():
            for m in rx.finditer(text):
                line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
                if not ALLOWED.search(line):
                    hits.append(f"{path.relative_to(repo_root)}: {name}: {line.strip()[:120]}")
    assert scanned > 50
    assert not hits, "\n".join(hits)
    record("secrets_scan", {"files_scanned": scanned, "patterns": len(SECRET_PATTERNS), "hits": 0})


def test_secret_patterns_catch_real_looking_secrets():
    samples = {
        "private key": "-----BEGIN " + "RSA PRIVATE KEY-----",
        "AWS access key": "AKIA" + "ABCDEFGHIJKLMNOP",
        "credentials in a URL": "postgresql://airflow:" + "s3cr3tpw@postgres/airflow",
        "password literal": 'POSTGRES_PASSWORD: "' + 'hunter22"',
    }
    for name, sample in samples.items():
        assert re.search(SECRET_PATTERNS[name], sample), name
    # ...and not the compose file's way of requiring one from .env.
    assert not re.search(SECRET_PATTERNS["credentials in a URL"],
                         "postgresql+psycopg2://${POSTGRES_USER}:${POSTGRES_PASSWORD}@postgres/x")


def test_compose_file_ships_no_default_credentials(repo_root):
    path = repo_root / "docker-compose.yml"
    if not path.is_file():
        pytest.skip("no docker-compose.yml")
    text = path.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    secret_name = re.compile(r"(?i)(password|passwd|secret|fernet|token|_key$|jwt|auth$)")
    found = []

    def walk(node, where):
        if isinstance(node, dict):
            for k, v in node.items():
                # (a *_FILE key names where a secret is read from, not the secret)
                if isinstance(v, (str, int)) and secret_name.search(str(k)) and not str(k).endswith("_FILE"):
                    value = str(v)
                    # Every secret must come from the environment, with no fallback value.
                    for m in re.finditer(r"\$\{([A-Z0-9_]+)(:?-[^}]*)?", value):
                        if m.group(2):
                            found.append(f"{where}.{k}: default for {m.group(1)}")
                    if "${" not in value and value not in ("", "true", "false"):
                        found.append(f"{where}.{k}: literal value")
                walk(v, f"{where}.{k}")
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, f"{where}[{i}]")

    walk(doc, "compose")
    # Anywhere in the file: a ${SECRET:-default} or ${SECRET-default} is a shipped credential.
    for m in re.finditer(r"\$\{([A-Z0-9_]*(?:PASSWORD|SECRET|FERNET|TOKEN|KEY)[A-Z0-9_]*):?-", text):
        found.append(f"default for {m.group(1)}")
    assert not re.search(r"(?i)airflow:airflow@|:airflow@postgres|_AIRFLOW_WWW_USER_PASSWORD:-", text)
    assert not found, found


# ---- analysts open the warehouse read-only ----------------------------------------------------------

@pytest.fixture()
def small_warehouse(tmp_lake):
    import duckdb

    from scrapers import config

    path = config.warehouse_path()
    con = duckdb.connect(str(path))
    con.execute("create table fct_articles as select 'plo.vn/post-1' as doc_id, 3 as n_facts")
    con.close()
    return path


@pytest.mark.parametrize("sql", [
    "create table pwned as select 1",
    "insert into fct_articles values ('x', 1)",
    "drop table fct_articles",
    "update fct_articles set n_facts = 0",
    "select 1; delete from fct_articles",
    "copy fct_articles to '/tmp/thads-rel-exfil.csv'",
    "attach '/tmp/thads-rel-other.duckdb' as other",
    "checkpoint",
])
def test_thads_query_cannot_write_the_warehouse(small_warehouse, sql, capsys):
    from scrapers.cli import main

    before = hashlib.sha256(small_warehouse.read_bytes()).hexdigest()
    assert main(["query", sql]) != 0
    err = capsys.readouterr().err
    assert "read-only" in err or "read only" in err.lower(), err
    assert hashlib.sha256(small_warehouse.read_bytes()).hexdigest() == before
    assert main(["query", "select n_facts from fct_articles"]) == 0
    assert "3" in capsys.readouterr().out


def test_thads_query_command_line_refuses_a_write(small_warehouse):
    # The installed entry point, in its own process, as an analyst would run it.
    before = hashlib.sha256(small_warehouse.read_bytes()).hexdigest()
    thads = [sys.executable, "-c", "import sys; from scrapers.cli import main; sys.exit(main())"]
    proc = subprocess.run([*thads, "query", "create table pwned as select 1"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode != 0 and "read-only" in proc.stderr, proc.stderr
    assert hashlib.sha256(small_warehouse.read_bytes()).hexdigest() == before


def test_analyst_connection_itself_is_read_only(small_warehouse):
    import duckdb

    from scrapers.analyst.db import open_warehouse

    before = hashlib.sha256(small_warehouse.read_bytes()).hexdigest()
    con = open_warehouse()
    try:
        with pytest.raises(duckdb.Error, match="(?i)read.only"):
            con.execute("create table pwned as select 1")   # past the statement filter: duckdb refuses
    finally:
        con.close()
    assert hashlib.sha256(small_warehouse.read_bytes()).hexdigest() == before


def test_every_analyst_module_opens_duckdb_read_only(repo_root):
    # Only dbt writes the warehouse: no Python module of the package opens DuckDB for writing.
    offenders = []
    for path in sorted((repo_root / "scrapers").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"duckdb\.connect\(", text):
            call = text[m.start():text.find("\n", m.end())]
            if "read_only=True" not in call:
                offenders.append(f"{path.relative_to(repo_root)}: {call.strip()}")
    assert not offenders, offenders
