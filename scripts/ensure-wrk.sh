#!/usr/bin/env bash
# Debian's wrk for `make bench` (the HTTP load generator; nothing is downloaded from elsewhere).
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
  echo "wrk: $(wrk --version 2>&1 | head -1)"
  exit 0
fi
echo "wrk: not found, installing Debian's package with apt"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
echo "wrk: $(wrk --version 2>&1 | head -1)"
