#!/usr/bin/env bash
# Configures and builds one flavour of the project.
#   scripts/build.sh            -> build/        (RelWithDebInfo, tests, tools, benchmarks)
#   scripts/build.sh asan       -> build-asan/   (AddressSanitizer + UBSan, unit tests)
#   scripts/build.sh fuzz       -> build-fuzz/   (clang + libFuzzer targets)
# Every flavour is a developer build: warnings are errors and the tests are built (both off in a
# plain `cmake -S . -B build`, which is what users and the Debian package build run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
flavour=${1:-release}
jobs=${OPTIGA_JOBS:-$(nproc)}

targets=()
case "$flavour" in
  release) dir=build;      args=(-DOPTIGA_BENCH=ON) ;;
  asan)    dir=build-asan; args=(-DOPTIGA_SANITIZE=ON -DOPTIGA_BENCH=OFF) ;;
  fuzz)    dir=build-fuzz; args=(-DOPTIGA_FUZZ=ON -DOPTIGA_BENCH=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++)
           # Only the fuzz targets (and the libraries they link): tools and modules built with
           # fuzzer instrumentation are never run, and building them doubles the stage's time.
           targets=(fuzz_frame_parser fuzz_metadata_parser fuzz_apdu_response) ;;
  *) echo "build.sh: unknown flavour '$flavour' (use release, asan or fuzz)" >&2; exit 2 ;;
esac

# OPTIGA_DEBUG_INFO=lines (what scripts/test.sh sets) keeps only line tables: enough for sanitizer
# and crash stack traces, and about a third less compiler time than full debug information.
debug_flags=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g -DNDEBUG")
case "${OPTIGA_DEBUG_INFO:-full}" in
  full) ;;
  lines) debug_flags=(-DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG") ;;
  *) echo "build.sh: OPTIGA_DEBUG_INFO must be full or lines, not '$OPTIGA_DEBUG_INFO'" >&2; exit 2 ;;
esac

args+=(-DOPTIGA_WERROR=ON -DOPTIGA_TESTS=ON)

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$root" -B "$root/$dir" "${generator[@]}" "${debug_flags[@]}" "${args[@]}" >/dev/null || {
  echo "build.sh: configuring $dir failed (see the messages above)" >&2
  exit 1
}
# Build output goes to stderr so that callers who only want the build directory (stdout) still
# see compiler errors.
cmake --build "$root/$dir" -j "$jobs" ${targets[@]+--target "${targets[@]}"} >&2
echo "$root/$dir"
