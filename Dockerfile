# RomM-ComM container image.
#   docker build -t romm-comm .
# Wheels come from the package registry, or from ./wheelhouse/ when wheels were put there
# (offline builds). Runtime: a slim Python, the system cairo library (SVG platform icons),
# tini as PID 1, a non-root user, the data folder at /app/data (as in the earlier bot's image).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY wheelhouse/ /wheelhouse/
COPY requirements.lock pyproject.toml README.md ./
COPY src/ src/
# The runtime dependencies exactly as locked (hashes checked), then the bot itself.
RUN set -eu; \
    if ls /wheelhouse/*.whl >/dev/null 2>&1; then export PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheelhouse; fi; \
    python3 -m venv /opt/romm-comm; \
    /opt/romm-comm/bin/pip install --require-hashes -r requirements.lock; \
    /opt/romm-comm/bin/pip install --no-deps .; \
    /opt/romm-comm/bin/pip uninstall --yes pip setuptools

FROM ${PYTHON_IMAGE}
ARG VERSION=0.1.0
ARG SOURCE_URL=
LABEL org.opencontainers.image.title="RomM-ComM" \
      org.opencontainers.image.description="Chat companion for self-hosted RomM libraries" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="GPL-3.0-or-later" \
      org.opencontainers.image.source="${SOURCE_URL}"
RUN set -eu; \
    apt-get update; \
    apt-get install --yes --no-install-recommends libcairo2 tini; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log; \
    groupadd --system --gid 1000 romm-comm; \
    useradd --system --uid 1000 --gid romm-comm --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin romm-comm; \
    mkdir -p /app/data; \
    chown romm-comm:romm-comm /app/data; \
    chmod 700 /app/data
COPY --from=build /opt/romm-comm /opt/romm-comm
ENV PATH=/opt/romm-comm/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATA_DIR=/app/data \
    WEB_HOST=0.0.0.0 \
    WEB_PORT=8088
WORKDIR /app
USER romm-comm
VOLUME /app/data
EXPOSE 8088
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 \
  CMD ["/opt/romm-comm/bin/python", "-m", "romm_comm.cli.healthcheck"]
STOPSIGNAL SIGTERM
# tini forwards SIGTERM to the bot, which closes the web server, RomM session and database.
ENTRYPOINT ["/usr/bin/tini", "--", "romm-comm"]
CMD ["serve"]
