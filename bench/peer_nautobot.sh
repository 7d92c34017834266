#!/usr/bin/env bash
# The peer for bench/lists_peer.py: Nautobot 3.2.7 from PyPI, in its own venv
# outside this repository (nothing of it is committed here), on PostgreSQL with
# its own database and Redis with its own database numbers, holding 100,000
# teams (extras.Team: a name, phone, e-mail, address and comments, the nearest to
# one of our teams; its API list is a plain queryset, where the tenant list
# annotates ten counts of related objects), served by gunicorn on loopback.
#
#   bash bench/peer_nautobot.sh install   # venv, config, database, 100,000 teams, API token
#   bash bench/peer_nautobot.sh serve     # gunicorn on 127.0.0.1:$PEER_PORT (background)
#   bash bench/peer_nautobot.sh stop      # stop that gunicorn
#
# Settings (environment): PEER_DIR (default $HOME/peer-nautobot), PEER_DB
# (nautobot_peer), PEER_PG (postgres@127.0.0.1:5432, trust), PEER_REDIS_DB (7;
# the Celery broker takes the next number), PEER_PORT (8203), PEER_WORKERS (3),
# PEER_ROWS (100000). `install` prints the API token; it is also in
# $PEER_DIR/token. Installing takes about ten minutes (Nautobot's migrations).
set -euo pipefail

PEER_DIR=${PEER_DIR:-$HOME/peer-nautobot}
PEER_DB=${PEER_DB:-nautobot_peer}
PEER_REDIS_DB=${PEER_REDIS_DB:-7}
PEER_PORT=${PEER_PORT:-8203}
PEER_WORKERS=${PEER_WORKERS:-3}
PEER_ROWS=${PEER_ROWS:-100000}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_USER=${PG_USER:-postgres}
export NAUTOBOT_ROOT="$PEER_DIR/root"
export NAUTOBOT_CONFIG="$NAUTOBOT_ROOT/nautobot_config.py"
SERVER="$PEER_DIR/venv/bin/nautobot-server"

install() {
  mkdir -p "$NAUTOBOT_ROOT"
  [ -x "$PEER_DIR/venv/bin/python" ] || python3 -m venv "$PEER_DIR/venv"
  "$PEER_DIR/venv/bin/pip" install --quiet "nautobot==3.2.7" gunicorn
  if [ ! -f "$NAUTOBOT_CONFIG" ]; then
    "$SERVER" init --disable-installation-metrics "$NAUTOBOT_CONFIG" >/dev/null
    cat >>"$NAUTOBOT_CONFIG" <<EOF

# --- Set by stuurwiel bench/peer_nautobot.sh: loopback only, own database and Redis dbs.
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECRET_KEY = "peer-benchmark-only-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
DATABASES["default"].update(NAME="$PEER_DB", USER="$PG_USER", HOST="$PG_HOST", PORT="5432")
CACHES["default"]["LOCATION"] = "redis://127.0.0.1:6379/$PEER_REDIS_DB"
CELERY_BROKER_URL = "redis://127.0.0.1:6379/$((PEER_REDIS_DB + 1))"
INSTALLATION_METRICS_ENABLED = False
EOF
  fi
  psql -h "$PG_HOST" -U "$PG_USER" -tAc "SELECT 1 FROM pg_database WHERE datname='$PEER_DB'" |
    grep -q 1 || createdb -h "$PG_HOST" -U "$PG_USER" "$PEER_DB"
  "$SERVER" migrate --no-input -v 0
  PEER_ROWS=$PEER_ROWS "$SERVER" nbshell --command "$(cat <<'EOF'
import os
from django.contrib.auth import get_user_model
from nautobot.extras.models import Team
from nautobot.users.models import Token
user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
token = Token.objects.filter(user=user).first() or Token.objects.create(user=user)
rows = int(os.environ["PEER_ROWS"])
have = Team.objects.count()
Team.objects.bulk_create(
    (Team(name=f"Team {i:06d}", email=f"team{i}@example.org") for i in range(have, rows)),
    batch_size=5000,
)
print("teams:", Team.objects.count())
print("token:", token.key)
EOF
)" | tee "$PEER_DIR/install.out"
  sed -n 's/^token: //p' "$PEER_DIR/install.out" >"$PEER_DIR/token"
  psql -h "$PG_HOST" -U "$PG_USER" -d "$PEER_DB" -qc "VACUUM ANALYZE"
}

serve() {
  cd "$NAUTOBOT_ROOT"
  "$PEER_DIR/venv/bin/gunicorn" nautobot.core.wsgi:application \
    --bind "127.0.0.1:$PEER_PORT" --workers "$PEER_WORKERS" --daemon \
    --pid "$PEER_DIR/gunicorn.pid" --error-logfile "$PEER_DIR/gunicorn.log"
  for _ in $(seq 60); do
    curl -fs -o /dev/null "http://127.0.0.1:$PEER_PORT/api/" -H "Authorization: Token $(cat "$PEER_DIR/token")" && {
      echo "Nautobot serves http://127.0.0.1:$PEER_PORT/"
      return
    }
    sleep 1
  done
  echo "Nautobot did not answer; see $PEER_DIR/gunicorn.log" >&2
  exit 1
}

stop() {
  [ -f "$PEER_DIR/gunicorn.pid" ] && kill "$(cat "$PEER_DIR/gunicorn.pid")" && rm -f "$PEER_DIR/gunicorn.pid"
  echo stopped
}

case "${1:-}" in
  install) install ;;
  serve) serve ;;
  stop) stop ;;
  *) sed -n '2,16p' "$0"; exit 2 ;;
esac
