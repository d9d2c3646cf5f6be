#!/usr/bin/env bash
# Install a Debian package when its command is missing (as bench/install-wrk.sh does for wrk).
#
#   bash scripts/install-debian-package.sh COMMAND [PACKAGE]
#
# PACKAGE defaults to COMMAND. Used by `make cluster-soak`, `make bench-cluster` (haproxy) and
# `make e2e` (pgbouncer).
set -euo pipefail

command_name="$1"
package="${2:-$1}"
PATH="$PATH:/usr/sbin:/sbin"
if command -v "$command_name" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$command_name is missing and there is no apt-get here: install $package" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "installing $package needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "==> installing $package from the Debian packages"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$package"; then
  $sudo apt-get -o DPkg::Lock::Timeout=300 update
  $sudo apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$package"
fi
command -v "$command_name" >/dev/null 2>&1
