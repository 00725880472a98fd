"""docker-compose.yml, Dockerfile and .env.example, checked without a Docker engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE_TEXT = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
AIRFLOW_SERVICES = {"airflow-init": None, "airflow-apiserver": "api-server", "airflow-scheduler": "scheduler",
                    "airflow-dag-processor": "dag-processor", "airflow-triggerer": "triggerer",
                    "airflow-worker": "celery worker"}
SECRETS = ("POSTGRES_PASSWORD", "REDIS_PASSWORD", "AIRFLOW_FERNET_KEY", "AIRFLOW_JWT_SECRET",
           "AIRFLOW_API_SECRET_KEY", "AIRFLOW_ADMIN_PASSWORD")


def test_services_and_commands():
    assert set(SERVICES) == {"postgres", "redis", *AIRFLOW_SERVICES}
    for name, command in AIRFLOW_SERVICES.items():
        if command:
            assert SERVICES[name]["command"] == command, name
    init = "\n".join(SERVICES["airflow-init"]["command"])
    assert "airflow db migrate" in init
    assert "airflow pools set thads_duckdb 1" in init


def test_airflow_services_share_the_built_image_and_environment():
    for name in AIRFLOW_SERVICES:
        svc = SERVICES[name]
        assert svc["build"] == {"context": ".", "dockerfile": "Dockerfile"}, name
        env = svc["environment"]
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://")
        assert "@postgres/" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert re.fullmatch(r"redis://:\$\{REDIS_PASSWORD[^}]*\}@redis:6379/0", env["AIRFLOW__CELERY__BROKER_URL"])
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/thads/dags"
        assert env["THADS_DATA_DIR"] == "/opt/thads/data"
        # Workers and scheduler must agree on these: they come from the same .env values.
        for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY"):
            assert env[key].startswith("${"), (name, key)


def test_project_and_data_are_mounted():
    for name in AIRFLOW_SERVICES:
        targets = {v.rsplit(":", 1)[1] for v in SERVICES[name]["volumes"]}
        assert {"/opt/thads/dags", "/opt/thads/scrapers", "/opt/thads/dbt_project", "/opt/thads/data",
                "/opt/airflow/logs"} <= targets, name
    assert "${THADS_HOST_DATA_DIR:-./data}:/opt/thads/data" in SERVICES["airflow-worker"]["volumes"]
    assert "postgres-db-volume:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]


@pytest.mark.parametrize("name", ["postgres", "redis", "airflow-apiserver", "airflow-scheduler",
                                  "airflow-dag-processor", "airflow-triggerer", "airflow-worker"])
def test_long_running_services_have_health_checks(name):
    hc = SERVICES[name]["healthcheck"]
    assert hc["test"][0] in ("CMD", "CMD-SHELL") and hc["interval"] and hc["retries"] >= 3
    probe = " ".join(hc["test"][1:])
    expected = {"postgres": "pg_isready", "redis": "redis-cli ping", "airflow-apiserver": "/api/v2/monitor/health",
                "airflow-scheduler": ":8974/health", "airflow-dag-processor": "DagProcessorJob",
                "airflow-triggerer": "TriggererJob", "airflow-worker": "inspect ping"}[name]
    assert expected in probe


def test_start_order_waits_for_healthy_dependencies():
    for name in AIRFLOW_SERVICES:
        deps = SERVICES[name]["depends_on"]
        assert deps["postgres"]["condition"] == deps["redis"]["condition"] == "service_healthy"
        if name != "airflow-init":
            assert deps["airflow-init"]["condition"] == "service_completed_successfully"


def test_worker_is_scalable():
    worker = SERVICES["airflow-worker"]
    # --scale needs no fixed container name and no host port.
    assert "container_name" not in worker and "ports" not in worker
    assert "--scale airflow-worker=" in COMPOSE_TEXT


def test_no_credential_literal():
    for secret in SECRETS:
        # Every use is a required variable (${X:?...}) or a plain reference; never ${X:-default}.
        assert f"${{{secret}:-" not in COMPOSE_TEXT
        assert f"${{{secret}" in COMPOSE_TEXT or f"$${{{secret}}}" in COMPOSE_TEXT, secret
    assert not re.search(r"(?i)(password|secret|fernet)[\w]*\s*[:=]\s*['\"]?(airflow|admin|changeme|secret)\b",
                         COMPOSE_TEXT)
    for url in re.findall(r"\w+://[^\s'\"]+", COMPOSE_TEXT):
        userinfo = url.split("://", 1)[1].split("@")[0] if "@" in url else ""
        assert not userinfo or all(part == "" or part.startswith("${") for part in userinfo.split(":")), url


def test_env_example_names_every_variable_and_holds_no_secret():
    example = dict(line.split("=", 1) for line in (REPO / ".env.example").read_text().splitlines()
                   if line and not line.startswith("#"))
    used = set(re.findall(r"\$\{(\w+)", COMPOSE_TEXT)) - {"HOSTNAME", "THADS_AIRFLOW_IMAGE"}
    assert used <= set(example), used - set(example)
    for secret in SECRETS:
        assert example[secret] == "", f"{secret} must be empty in .env.example"
    assert ".env" in (REPO / ".gitignore").read_text().split()


def test_dockerfile_installs_the_lock_on_the_matching_airflow_image():
    text = (REPO / "Dockerfile").read_text()
    pinned = re.search(r"^apache-airflow==([\d.]+)", (REPO / "requirements.lock").read_text(), re.M).group(1)
    assert re.search(rf"^FROM apache/airflow:{re.escape(pinned)}-python3\.11$", text, re.M)
    assert "-r requirements.lock" in text and "-e ." in text
