#!/usr/bin/env bash
# The whole test suite (the README's test command; .ci/run calls it): build everything with warnings as
# errors, run every test project, rerun the kernel and op tests on the AVX2 and scalar paths, build the
# consumer against the packed NuGet package, and end with one line "tests: N passed, M failed[, K skipped]".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log=$(mktemp)
status=0

echo "== build (Release, warnings as errors)"
if ! dotnet build Nabla.slnx -c Release 2>&1 | tee -a "$log" | tail -n 3; then status=1; fi
grep -qE "Build FAILED|error [A-Z]+[0-9]+" "$log" && status=1

echo "== tests"
# The speech tests of tests/Nabla.Cli.Tests synthesise words with espeak-ng; without it they are skipped.
if ! command -v espeak-ng >/dev/null 2>&1; then
  bash scripts/setup-audio.sh || echo "espeak-ng could not be installed: the speech tests will be skipped"
fi
# The lab's HTML test opens the reports in headless Chromium; without it that test is skipped.
if ! command -v chromium >/dev/null 2>&1; then
  bash scripts/setup-browser.sh || echo "chromium could not be installed: the lab's browser test will be skipped"
fi
for project in tests/*/*.csproj; do
  echo "-- $project"
  dotnet test "$project" -c Release --no-build 2>&1 | tee -a "$log" | grep -E "^(Passed|Failed)!|error|\[FAIL\]" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

# The SIMD fallbacks: the same kernel and op tests with AVX-512 off, then with every SIMD path off
# (NABLA_SIMD for Nabla's kernels, DOTNET_EnableHWIntrinsic for System.Numerics.Tensors).
fallback_filter="FullyQualifiedName~Nabla.Tests.Kernels|FullyQualifiedName~Nabla.Tests.Autograd"
for env in "NABLA_DISABLE_AVX512=1 DOTNET_EnableAVX512=0" "NABLA_SIMD=0 DOTNET_EnableHWIntrinsic=0"; do
  echo "-- tests/Nabla.Tests with $env"
  env $env dotnet test tests/Nabla.Tests -c Release --no-build --filter "$fallback_filter" 2>&1 | tee -a "$log" | grep -E "^(Passed|Failed)!|\[FAIL\]" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

echo "== pack + consumer"
rm -rf artifacts/packages "${NUGET_PACKAGES:-$HOME/.nuget/packages}/nabla"
if dotnet pack src/Nabla -c Release -o artifacts/packages 2>&1 | tail -n 2 \
   && dotnet build examples/QuickStart -c Release 2>&1 | tail -n 2 \
   && ! unzip -l artifacts/packages/Nabla.*.nupkg | grep -qE "runtimes/|\.so|\.dll\.native"; then
  echo "consumer: built against the packed package (no native assets)"
else
  echo "consumer: FAILED"; status=1
fi

# Sum the per-project summaries: "Passed!  - Failed: 0, Passed: 98, Skipped: 0, Total: 98".
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed:" "$log" | \
  sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' | \
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"
[ "$failed" -eq 0 ] || status=1
if [ "$skipped" -gt 0 ]; then echo "tests: $passed passed, $failed failed, $skipped skipped"; else echo "tests: $passed passed, $failed failed"; fi
exit $status
