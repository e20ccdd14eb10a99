#!/usr/bin/env bash
# Installs Debian's chromium, which one test uses headless to open the lab's HTML reports and check that every
# image loads (the test is skipped without it). Does nothing when chromium is already installed. Needs root (or
# sudo) for apt-get.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium: $(chromium --version 2>/dev/null | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: chromium is missing and apt-get is not available; install chromium with your package manager" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup-browser: chromium is missing; run 'apt-get install -y chromium' as root" >&2
  exit 1
fi

echo "setup-browser: installing chromium"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y --no-install-recommends chromium >/dev/null \
  || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends chromium >/dev/null; }
echo "chromium: $(chromium --version 2>/dev/null | head -n 1)"
