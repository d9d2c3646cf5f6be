#!/usr/bin/env bash
# Install wrk, the load generator of `make bench`, from the distribution's packages if absent.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "wrk is missing and there is no apt-get here: install wrk (https://github.com/wg/wrk)" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "installing wrk needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "==> installing wrk from the Debian packages"
if ! $sudo apt-get install -y --no-install-recommends wrk; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends wrk
fi
wrk --version 2>&1 | head -n 1 || true
