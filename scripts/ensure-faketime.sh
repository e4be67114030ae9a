#!/usr/bin/env bash
# Debian's faketime (libfaketime) for `make test-clock`: the suite run at other wall-clock hours.
set -euo pipefail
if command -v faketime >/dev/null 2>&1; then
  echo "faketime: $(command -v faketime)"
  exit 0
fi
echo "faketime: not found, installing Debian's package with apt"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq faketime >/dev/null
command -v faketime
