# fintrack as a container: gunicorn under production settings, static assets collected at
# build time, run as a non-root user. No secret is baked in: SECRET_KEY, DATABASE_URL and the
# rest of the README's table come from the environment at run time (docker-compose.yml,
# render.yaml, your host's settings).
#
#   docker build -t fintrack .
#   docker run --rm -p 127.0.0.1:8000:8000 -e SECRET_KEY=... -e DATABASE_URL=... fintrack
#
# (loopback only: in front of users, gunicorn belongs behind a proxy, README "Deploying").

# --- build: the locked, hashed requirements in a virtualenv, and the collected static files
FROM python:3.11-slim AS build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
RUN python -m venv /opt/venv
COPY requirements/base.txt requirements/base.txt
RUN /opt/venv/bin/pip install --require-hashes -r requirements/base.txt

COPY manage.py gunicorn.conf.py ./
COPY config config
COPY fintrack fintrack

# Production settings refuse to load without a key; collectstatic signs nothing, so it gets a
# throwaway one in its own environment, for this one command of the build stage: not an ENV,
# not in any layer, and the final image starts afresh from the base.
RUN DJANGO_SETTINGS_MODULE=config.settings.production \
    SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(40))')" \
    /opt/venv/bin/python manage.py collectstatic --noinput --verbosity 0

# --- run: the virtualenv and the application, owned by root, run by an unprivileged user
FROM python:3.11-slim AS run

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000 \
    WEB_CONCURRENCY=2

RUN groupadd --system --gid 10001 fintrack \
    && useradd --system --uid 10001 --gid fintrack --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin fintrack

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app

USER 10001:10001
EXPOSE 8000

# No curl in the slim image: Python asks /api/health/ (200 while the database answers, 503
# otherwise), with the first of ALLOWED_HOSTS as the Host header.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/api/health/', headers={'Host': h}), timeout=4)"]

# gunicorn binds 0.0.0.0:$PORT and starts $WEB_CONCURRENCY workers by itself.
CMD ["gunicorn", "config.wsgi", "--no-control-socket", "--access-logfile", "-", "--timeout", "30"]
