#!/usr/bin/env bash
# Writes the King James Version of the Bible (1611, public domain) as plain UTF-8 text, one verse per line, for the
# character-level language model (nabla train charlm), and checks its SHA-256.
#
# Usage: scripts/fetch-text.sh [TARGET_FILE]
#   TARGET_FILE defaults to $NABLA_DATA/text/kjv.txt when NABLA_DATA is set, else ~/.cache/nabla/text/kjv.txt.
#
# The text comes from Debian's bible-kjv package (its `bible` program and the bible-kjv-text data), installed with
# apt-get when missing (needs root, or the package already installed). The program prints chapter headings,
# verse numbers and wrapped lines; they are removed here so the file holds only the verses' words.
set -euo pipefail

readonly EXPECTED_SHA256=b5c4940bcfeee072c0935b5200d0f9d88a00a0199cb0961d16133458fcdfae5d
readonly EXPECTED_VERSES=31102

die() { echo "fetch-text: error: $*" >&2; exit 1; }

if [[ $# -gt 1 ]]; then die "usage: $0 [TARGET_FILE]"; fi
if [[ $# -eq 1 ]]; then target="$1"
elif [[ -n "${NABLA_DATA:-}" ]]; then target="$NABLA_DATA/text/kjv.txt"
else target="$HOME/.cache/nabla/text/kjv.txt"
fi

if [[ -f "$target" ]] && [[ "$(wc -l < "$target")" -eq $EXPECTED_VERSES ]]; then
    echo "fetch-text: $target is present ($EXPECTED_VERSES verses)"
    exit 0
fi

if ! command -v bible >/dev/null 2>&1; then
    if [[ "$(id -u)" -ne 0 ]]; then die "the 'bible' program (Debian package bible-kjv) is missing; install it with: sudo apt-get install bible-kjv"; fi
    echo "fetch-text: installing Debian's bible-kjv with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q bible-kjv >/dev/null || {
        apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q bible-kjv >/dev/null; } \
        || die "apt-get could not install bible-kjv"
fi

mkdir -p "$(dirname "$target")"
tmp="$target.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# A verse starts with spaces and its number; wrapped lines continue it; "Book N" headings and blank lines go.
bible "Gen1:1-Rev22:21" | awk '
    /^ +[0-9]+ / { if (verse != "") print verse; sub(/^ +[0-9]+ /, ""); verse = $0; next }
    /^$/ { next }
    /^[1-3]? ?[A-Z][A-Za-z ]+ [0-9]+$/ { next }
    { verse = verse " " $0 }
    END { if (verse != "") print verse }' > "$tmp"

verses="$(wc -l < "$tmp")"
[[ "$verses" -eq $EXPECTED_VERSES ]] || die "expected $EXPECTED_VERSES verses but the text has $verses lines"
actual="$(sha256sum "$tmp" | cut -d' ' -f1)"
if [[ "$actual" != "$EXPECTED_SHA256" ]]; then
    echo "fetch-text: note: SHA-256 $actual differs from the one recorded ($EXPECTED_SHA256); the verse count matches, so a different bible-kjv build is assumed" >&2
fi
mv "$tmp" "$target"
trap - EXIT
echo "fetch-text: wrote $target ($verses verses, $(wc -c < "$target") bytes)"
