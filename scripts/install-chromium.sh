#!/usr/bin/env bash
# Install Debian's chromium, the browser of the dashboard's tests and of `make screenshots`,
# from the distribution's packages if absent (playwright never downloads a browser here).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing and there is no apt-get here: install Chromium at /usr/bin/chromium" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "installing chromium needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "==> installing chromium from the Debian packages"
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y --no-install-recommends chromium; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>&1 | head -n 1 || true
