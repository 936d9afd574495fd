#!/usr/bin/env bash
# Runs every test of the project: installs dependencies, builds, then
#   1. unit and shell tests (ctest) on the normal build,
#   2. the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer,
#   3. each libFuzzer target for a short time.
# Fails on the first failing stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jobs=${OPTIGA_JOBS:-$(nproc)}
export CTEST_OUTPUT_ON_FAILURE=1
# Line tables only: stack traces stay readable and the builds take about a third less time.
export OPTIGA_DEBUG_INFO=${OPTIGA_DEBUG_INFO:-lines}

"$root/scripts/install-deps.sh"

# Each stage prints its name; the wall time of every stage is summarised at the end.
timings=()
stage_name=""
stage_start=0
end_stage() {
  [ -n "$stage_name" ] && timings+=("$(printf '%5ds  %s' $((SECONDS - stage_start)) "$stage_name")")
  return 0
}
stage() {
  end_stage
  stage_name="$*"
  stage_start=$SECONDS
  printf '\n==== %s ====\n' "$*"
}

stage "build (RelWithDebInfo)"
scripts/build.sh release >/dev/null
stage "unit and shell tests"
ctest --test-dir build -j "$jobs" --timeout 900

stage "build (ASan + UBSan)"
scripts/build.sh asan >/dev/null
stage "unit tests under ASan + UBSan"
# The 100,000-signature test runs 10,000 here: the sanitizers make each one ~10x slower, and the
# release stage has already run the full count.
OPTIGA_SIGNATURE_COUNT=10000 \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" -L unit --timeout 1800

stage "build (libFuzzer)"
scripts/build.sh fuzz >/dev/null
stage "fuzz targets"
ctest --test-dir build-fuzz -j "$jobs" -L fuzz

end_stage
printf '\n==== all stages passed ====\n'
printf '%s\n' "${timings[@]}"
printf '%5ds  total\n' "$SECONDS"
