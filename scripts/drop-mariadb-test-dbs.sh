#!/usr/bin/env bash
# Drops the databases one test run created: those whose name starts with $1 (portal_test_PID).
MARIADB_HOST=${MARIADB_HOST:-127.0.0.1}
MARIADB_PORT=${MARIADB_PORT:-3306}
prefix=${1:?usage: drop-mariadb-test-dbs.sh PREFIX}
for name in $(mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -uroot -N -e "SHOW DATABASES LIKE '${prefix//_/\\_}%'" 2>/dev/null); do
  mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -uroot -e "DROP DATABASE IF EXISTS \`$name\`"
done
