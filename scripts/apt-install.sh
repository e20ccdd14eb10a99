#!/usr/bin/env bash
# Installs one Debian package with apt-get unless its command is already present: the shared body of
# setup-audio.sh (espeak-ng) and setup-browser.sh (chromium). Needs root (or sudo) to install.
# Usage: apt-install.sh CALLER PACKAGE COMMAND
set -euo pipefail
caller=$1 package=$2 command=$3

if command -v "$command" >/dev/null 2>&1; then
  echo "$package: $("$command" --version 2>/dev/null | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "$caller: $package is missing and apt-get is not available; install $package with your package manager" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "$caller: $package is missing; run 'apt-get install -y $package' as root" >&2
  exit 1
fi

echo "$caller: installing $package"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y --no-install-recommends "$package" >/dev/null \
  || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends "$package" >/dev/null; }
echo "$package: $("$command" --version 2>/dev/null | head -n 1)"
