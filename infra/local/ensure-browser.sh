#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the console's browser tests
# (playwright-core drives it; it never downloads a browser of its own).
set -euo pipefail
if [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "installing chromium from Debian packages"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium
