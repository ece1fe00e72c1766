# The portal under gunicorn (gunicorn.conf.py), static files served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GUNICORN_WORKER_TMP_DIR=/dev/shm \
    BACKUP_DIR=/backups

# /srv/static and /srv/media: volumes shared with the reverse proxy of docker-compose.yml.
RUN useradd --create-home --uid 1000 portail \
    && mkdir -p /backups /srv/static /srv/media \
    && chown portail:portail /backups /srv/static /srv/media
WORKDIR /app

COPY pyproject.toml requirements.lock README.md ./
RUN pip install --no-cache-dir -c requirements.lock .

COPY --chown=portail:portail . .
# Hashed, compressed static files (whitenoise's manifest storage): settings but no database.
RUN DEBUG=0 SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

USER portail
EXPOSE 8000
# Migrations run at each start (they are idempotent); then gunicorn replaces the shell.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn -c gunicorn.conf.py chantier.wsgi"]
