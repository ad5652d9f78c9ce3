#!/usr/bin/env bash
# Brings a fresh Debian/Ubuntu clone to the point where `npm start` or `npm test` can run.
#   prepare.sh start  -> the libraries the native modules build against, then npm dependencies
#   prepare.sh test   -> the same, plus the daemons and tools the integration and e2e tests drive for real
# System packages come first: `pcsclite` compiles against libpcsclite-dev and node-hid loads libusb, so
# `npm ci` fails on a bare machine without them. They are installed with apt when missing and we are root;
# otherwise the exact command is printed and we stop.
set -euo pipefail
cd "$(dirname "$0")/../.."
mode="${1:-test}"

say() { printf '[prepare] %s\n' "$*" >&2; }

# Needed to build and run the terminal: PC/SC daemon + headers, libusb (node-hid), udev (serial port listing).
packages=(pcscd libpcsclite-dev libusb-1.0-0 udev)
if [ "$mode" != "start" ]; then
  # vpcd (virtual card reader), pcsc-tools, socat (serial pty pairs), Chromium + a CJK font (e2e),
  # PostgreSQL (HQ), python3 + g++ for node-gyp when a prebuilt binary is missing.
  packages+=(vsmartcard-vpcd pcsc-tools socat chromium fonts-wqy-microhei postgresql)
fi

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
for pkg in "${packages[@]}"; do
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

# npm dependencies: install when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-fund --no-audit
fi
