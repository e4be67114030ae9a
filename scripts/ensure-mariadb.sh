#!/usr/bin/env bash
# Sourced by `make test-mariadb`: makes sure a MariaDB server answers on 127.0.0.1:3306 and
# exports MARIADB_TEST_URL for a database this run creates (and later drops).
# Which path it took is printed: already running / started the installed server / installed it.
MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
_ping() { mariadb-admin -h "$MARIADB_HOST" -P "$MARIADB_PORT" -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
_wait() { for _ in $(seq 1 60); do _ping && return 0; sleep 0.5; done; return 1; }
if _ping; then
  echo "mariadb: server already running on $MARIADB_HOST:$MARIADB_PORT"
elif command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ]; then
  echo "mariadb: no answer, starting the installed server"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  _wait || { echo "mariadb: could not start the server" >&2; return 1; }
else
  echo "mariadb: not installed, installing Debian's mariadb-server with apt"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mariadb-server >/dev/null
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
  _wait || { echo "mariadb: could not start the server" >&2; return 1; }
fi
export MARIADB_TEST_URL="mysql://root@$MARIADB_HOST:$MARIADB_PORT/portal_test_$$"
echo "mariadb: tests use databases named portal_test_$$*"
