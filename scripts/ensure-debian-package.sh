#!/usr/bin/env bash
# ensure-debian-package.sh COMMAND PACKAGE [PACKAGE...]: installs Debian's PACKAGE(s) with apt
# when COMMAND is not on the PATH (the tools the make targets use: chromium, wrk).
set -euo pipefail
command_name=$1; shift
if command -v "$command_name" >/dev/null 2>&1; then
  echo "$command_name: $(command -v "$command_name")"
  exit 0
fi
echo "$command_name: not found, installing Debian's package(s) with apt: $*"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
command -v "$command_name"
