# The project's Airflow image: the official Airflow 3.3.2 image plus the pinned dependencies
# (requirements.lock) and this package. docker-compose.yml builds it.
FROM apache/airflow:3.3.2-python3.11

USER root
# curl for the compose health checks; git for dbt's deps.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl git \
 && apt-get clean && rm -rf /var/lib/apt/lists/*

USER airflow
WORKDIR /opt/thads
COPY --chown=airflow:root requirements.lock pyproject.toml ./
# Same lock as `make venv` (it pins apache-airflow 3.3.2 too): the image and a laptop run the same
# versions. pip as user airflow, as the official image's docs do.
RUN pip install --no-cache-dir -r requirements.lock
COPY --chown=airflow:root scrapers ./scrapers
COPY --chown=airflow:root dags ./dags
COPY --chown=airflow:root dbt_project ./dbt_project
RUN pip install --no-cache-dir --no-deps -e .

ENV THADS_DATA_DIR=/opt/thads/data \
    THADS_DBT_PROJECT_DIR=/opt/thads/dbt_project \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/thads/dags
WORKDIR /opt/airflow
