#!/usr/bin/env bash
# The production shape on this machine: Varnish -> gunicorn (production settings) -> PostgreSQL + Redis,
# plus the task worker (manage.py db_worker). `make run-stack` calls it; Ctrl-C stops everything it started.
#
#   STACK_PORT    Varnish's port, the one readers use (default 8080); gunicorn listens on STACK_PORT+1
#   DATABASE_URL  default postgres://postgres@127.0.0.1:5432/factcheck_stack (created if missing)
#   REDIS_URL     default redis://127.0.0.1:6379/0
#
# Needs varnishd with the xkey vmod (apt-get install varnish varnish-modules), PostgreSQL and Redis
# running, and `make install` done. HTTPS is not terminated here, so the redirect to it is off; the
# session and CSRF cookies stay Secure (browsers accept those on http://localhost and 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
STACK_PORT=${STACK_PORT:-8080}
ORIGIN_PORT=${ORIGIN_PORT:-$((STACK_PORT + 1))}
VARNISHD=${VARNISHD:-$(command -v varnishd || echo /usr/sbin/varnishd)}
STATE=${STACK_DIR:-.stack}
case "$STATE" in /*) ;; *) STATE="$PWD/$STATE" ;; esac  # absolute: the static files go under it

[ -x "$VARNISHD" ] || { echo "varnishd is not installed: apt-get install varnish varnish-modules" >&2; exit 1; }
mkdir -p "$STATE"
if [ ! -s "$STATE/secret_key" ]; then
  "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' > "$STATE/secret_key"
  chmod 600 "$STATE/secret_key"
fi

export DJANGO_ENV=production
export SECRET_KEY="$(cat "$STATE/secret_key")"
export ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}
export SITE_URL=${SITE_URL:-http://127.0.0.1:$STACK_PORT}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/factcheck_stack}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
export STATIC_ROOT=${STATIC_ROOT:-$STATE/static}
export SECURE_SSL_REDIRECT=0
export PURGE_BACKEND=varnish
export VARNISH_PURGE_URLS=http://127.0.0.1:$STACK_PORT/
export API_NUM_PROXIES=1
export BIND=127.0.0.1:$ORIGIN_PORT
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-3}
export GUNICORN_ACCESS_LOG=${GUNICORN_ACCESS_LOG-}  # Varnish probes the origin every 2 s: no access log by default

# The database, if PostgreSQL has none of that name yet.
database=${DATABASE_URL##*/}
server=${DATABASE_URL%/*}
if command -v psql >/dev/null 2>&1 \
  && ! psql "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  psql "$server/postgres" -qc "CREATE DATABASE \"$database\""
fi
redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 || echo "Redis does not answer at $REDIS_URL: the portal runs without it (slower)." >&2

# Before Varnish runs there is nothing to purge.
PURGE_BACKEND=none "$PY" manage.py migrate --no-input -v0
PURGE_BACKEND=none "$PY" manage.py collectstatic --no-input -v0
PURGE_BACKEND=none "$PY" manage.py load_demo >/dev/null

# varnishd (started as root) reads its VCL as its own user: a directory it may read.
varnish_dir=$(mktemp -d /tmp/factcheck-stack-varnish.XXXXXX)
chmod 755 "$varnish_dir"
"$PY" manage.py varnish_vcl --backend "127.0.0.1:$ORIGIN_PORT" --purger 127.0.0.1 --purger ::1 \
  --output "$varnish_dir/factcheck.vcl"
chmod 644 "$varnish_dir/factcheck.vcl"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$varnish_dir"
}
trap stop EXIT INT TERM

.venv/bin/gunicorn -c deploy/gunicorn.conf.py factcheck.wsgi & pids+=($!)
"$PY" manage.py db_worker --interval 2 & pids+=($!)
"$VARNISHD" -F -n "$varnish_dir/work" -a "127.0.0.1:$STACK_PORT" -T 127.0.0.1:0 -f "$varnish_dir/factcheck.vcl" \
  -s malloc,${VARNISH_MEMORY:-256m} & pids+=($!)

echo "Waiting for Varnish and gunicorn..."
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$STACK_PORT/healthz/live" 2>/dev/null; then
    echo
    echo "The portal (Varnish -> gunicorn -> PostgreSQL + Redis, task worker running):"
    echo "  http://127.0.0.1:$STACK_PORT/        (admin: /admin/, API docs: /api/docs/)"
    echo "  origin without Varnish: http://127.0.0.1:$ORIGIN_PORT/   Ctrl-C stops everything."
    wait -n "${pids[@]}"
    echo "A process of the stack stopped; stopping the rest." >&2
    exit 1
  fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "A process of the stack did not start." >&2; exit 1; }
  done
  sleep 0.5
done
echo "The stack did not answer within 5 minutes." >&2
exit 1
