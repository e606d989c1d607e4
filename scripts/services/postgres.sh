#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1 with the test role the store tests use (marketfeed_test, may
# create databases; each test class makes its own). Installs Debian's postgresql when missing, starts the installed
# cluster (no systemd needed) and creates the role idempotently. A second call while all is in place is a no-op.
# Exit status 0 = the server is up with the role, 1 = none could be had.
#   PGPORT                  port to check (default 5432)
#   MARKETFEED_TEST_PG_ROLE role and password to create (default marketfeed_test)
set -euo pipefail
. "$(dirname "$0")/debian-package.sh"

port="${PGPORT:-5432}"
role="${MARKETFEED_TEST_PG_ROLE:-marketfeed_test}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

say() { echo "postgres.sh: $*" >&2; }
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -u postgres "$@"
  fi
}
ready() { pg_isready -q -h 127.0.0.1 -p "$port" >/dev/null 2>&1; }

export PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  install_debian_package postgresql
  export PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

if ! ready; then
  # The newest installed cluster (pg_lsclusters: version, name, port, status, ...).
  read -r version cluster _ < <(pg_lsclusters --no-header | sort -V | tail -n 1)
  if [ -z "${version:-}" ]; then
    say "postgresql is installed but has no cluster (create one with pg_createcluster)"
    exit 1
  fi
  say "starting cluster $version/$cluster"
  "${sudo_cmd[@]}" pg_ctlcluster "$version" "$cluster" start || true
  for _ in $(seq 1 60); do ready && break; sleep 1; done
  if ! ready; then
    say "PostgreSQL did not come up on 127.0.0.1:$port within 60 s (see /var/log/postgresql/)"
    exit 1
  fi
fi

# The test role: created once, password reset every time (the tests connect with it over TCP, md5 or scram).
as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 -d postgres <<SQL >/dev/null
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN CREATEDB PASSWORD '$role';
  ELSE
    ALTER ROLE $role LOGIN CREATEDB PASSWORD '$role';
  END IF;
END
\$\$;
SQL
say "PostgreSQL is up on 127.0.0.1:$port with role $role"
