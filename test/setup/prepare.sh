#!/usr/bin/env bash
# Brings a fresh Debian/Ubuntu clone to the point where `npm start` or `npm test` can run.
#   prepare.sh start  -> npm dependencies
#   prepare.sh test   -> npm dependencies + the system daemons and tools the integration and e2e tests use
# System packages are installed with apt when missing and we are root; otherwise the exact command is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-test}"

say() { printf '[prepare] %s\n' "$*" >&2; }

# npm dependencies: install when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-fund --no-audit
fi

[ "$mode" = "start" ] && exit 0

# Debian packages the tests drive for real: pcscd + vpcd (virtual card reader), socat (serial pty pairs),
# libusb (node-hid), udev (serialport's port listing), Chromium + a CJK font (e2e), PostgreSQL (HQ).
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for pkg in pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools socat libusb-1.0-0 udev chromium fonts-wqy-microhei postgresql; do
  have_pkg "$pkg" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "installing system packages: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    say "missing system packages: ${need[*]}"
    say "run: sudo apt-get update && sudo apt-get install -y ${need[*]}"
    exit 1
  fi
fi
