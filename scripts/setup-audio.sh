#!/usr/bin/env bash
# Installs what Nabla's audio features need outside .NET: Debian's espeak-ng speech synthesiser, which
# `nabla train speech` uses to build its spoken-digit data set (and its tests, which are skipped without it).
# Does nothing when espeak-ng is already installed. Needs root (or sudo) for apt-get.
set -euo pipefail

if command -v espeak-ng >/dev/null 2>&1; then
  echo "espeak-ng: $(espeak-ng --version | head -n 1)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-audio: espeak-ng is missing and apt-get is not available; install espeak-ng with your package manager" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup-audio: espeak-ng is missing; run 'apt-get install -y espeak-ng' as root" >&2
  exit 1
fi

echo "setup-audio: installing espeak-ng"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get install -y --no-install-recommends espeak-ng >/dev/null \
  || { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends espeak-ng >/dev/null; }
echo "espeak-ng: $(espeak-ng --version | head -n 1)"
