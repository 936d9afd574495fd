#!/usr/bin/env bash
# Cross-builds the project for Raspberry Pi (arm64 = Pi 3/4/5 with a 64-bit OS, armhf = 32-bit
# Raspberry Pi OS on Pi 2 and later) and runs the unit tests under qemu-user. docs/cross-build.md.
#   scripts/cross-build.sh [arm64|armhf|all]      (default: all)
# Installs, with apt-get (idempotent, needs root or sudo): Debian's cross toolchain, the target
# architecture's -dev packages (multiarch) and qemu-user-static. Builds into build-<arch>/.
# Environment:
#   OPTIGA_JOBS                parallel jobs (default: nproc)
#   OPTIGA_CROSS_TARGETS       ninja targets to build (default: all)
#   OPTIGA_CROSS_CTEST_ARGS    extra ctest arguments (e.g. "-R Token")
#   OPTIGA_SIGNATURE_COUNT     signatures of the soak test (default 2000 here: qemu makes each
#                              ~17x slower, and the native build runs the full 100,000)
#   OPTIGA_FAULT_COMMANDS      commands of the lossy-bus test (default: its full 10,000, ~35 s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${OPTIGA_JOBS:-$(nproc)}
which=${1:-all}

case "$which" in
  arm64|armhf) arches=("$which") ;;
  all) arches=(arm64 armhf) ;;
  *) echo "cross-build.sh: unknown architecture '$which' (use arm64, armhf or all)" >&2; exit 2 ;;
esac

triplet() { case "$1" in arm64) echo aarch64-linux-gnu ;; armhf) echo arm-linux-gnueabihf ;; esac; }
qemu() { case "$1" in arm64) echo qemu-aarch64-static ;; armhf) echo qemu-arm-static ;; esac; }

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "cross-build.sh: need root or sudo for apt-get" >&2; exit 1; }
  sudo=sudo
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# The target's -dev packages, and the shared libraries behind them (for the unpacked fallback).
target_dev=(libssl-dev libgtest-dev libgmock-dev libusb-1.0-0-dev libgpiod-dev libp11-kit-dev)
target_libs=(libssl3 libusb-1.0-0 libudev1 libgpiod2 libp11-kit0 libffi8)

# Sets deps_dir: empty when the target's -dev packages are installed (multiarch), else the
# directory they were unpacked into.
install_for() {
  local arch=$1
  local tools=(cmake ninja-build pkg-config qemu-user-static nlohmann-json3-dev libcli11-dev
               "crossbuild-essential-$arch")
  local packages=("${tools[@]}")
  for p in "${target_dev[@]}"; do packages+=("$p:$arch"); done
  local missing=()
  for p in "${packages[@]}"; do installed "$p" || missing+=("$p"); done
  deps_dir=""
  [ ${#missing[@]} -eq 0 ] && { echo "cross-build: $arch packages present"; return 0; }
  # An earlier run that had to unpack: reuse it rather than asking apt again.
  local unpacked="$root/build-$arch-deps"
  if [ -f "$unpacked/.complete" ]; then
    missing=()
    for p in "${tools[@]}"; do installed "$p" || missing+=("$p"); done
    if [ ${#missing[@]} -eq 0 ]; then
      echo "cross-build: $arch tools present, libraries unpacked in $unpacked"
      deps_dir=$unpacked
      return 0
    fi
  fi

  echo "cross-build: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  dpkg --print-foreign-architectures | grep -qx "$arch" || $sudo dpkg --add-architecture "$arch"
  # A mirror caught mid-sync fails one index, and apt then keeps the old lists of that whole
  # suite (security updates of every architecture); the install below reports what follows.
  $sudo apt-get update -qq || echo "cross-build: apt-get update reported errors (above); trying the install" >&2
  # Multiarch libraries must be the same version on every architecture: naming the host's -dev
  # packages too lets apt upgrade them in step instead of refusing the target's.
  if $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" "${target_dev[@]}"; then
    return 0
  fi
  # apt refuses when the target's packages cannot match the host's versions (a security update
  # the target architecture's index does not have yet). The same Debian packages unpacked into
  # a directory of their own need no matching versions: build against those instead.
  echo "cross-build: apt cannot install the $arch -dev packages next to the host's (above);" \
       "unpacking them into $unpacked instead" >&2
  $sudo apt-get install -y -q --no-install-recommends "${tools[@]}"
  rm -rf "$unpacked"
  mkdir -p "$unpacked/debs"
  local wanted=()
  for p in "${target_dev[@]}" "${target_libs[@]}"; do wanted+=("$p:$arch"); done
  (cd "$unpacked/debs" && apt-get download "${wanted[@]}")
  for deb in "$unpacked"/debs/*.deb; do dpkg-deb -x "$deb" "$unpacked"; done
  touch "$unpacked/.complete"
  deps_dir=$unpacked
}

export CTEST_OUTPUT_ON_FAILURE=1
summary=()
for arch in "${arches[@]}"; do
  t=$(triplet "$arch")
  start=$SECONDS
  printf '\n==== %s (%s): install ====\n' "$arch" "$t"
  install_for "$arch"
  installed_at=$SECONDS
  dir="$root/build-$arch"

  printf '\n==== %s: configure and build ====\n' "$arch"
  # The toolchain file reads it from the environment too (CMake's compiler checks re-read it).
  export OPTIGA_CROSS_DEPS="$deps_dir"
  # No benchmarks (google-benchmark is not needed on the Pi) and no fuzz targets (clang-only).
  cmake -S "$root" -B "$dir" -G Ninja \
    -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/$t.cmake" -DOPTIGA_CROSS_DEPS="$deps_dir" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPTIGA_TESTS=ON -DOPTIGA_WERROR=ON -DOPTIGA_BENCH=OFF -DOPTIGA_FUZZ=OFF >/dev/null
  # shellcheck disable=SC2086  # the target list is meant to split
  ninja -C "$dir" -j "$jobs" ${OPTIGA_CROSS_TARGETS:-all}
  built=$SECONDS

  printf '\n==== %s: unit tests under %s ====\n' "$arch" "$(qemu "$arch")"
  # Only the unit label: the shell tests drive host tools (openssl, pkcs11-tool) against the
  # built binaries and would need a whole target userland under qemu.
  # shellcheck disable=SC2086
  # A test hanging under qemu fails after 10 minutes instead of stalling the run.
  OPTIGA_SIGNATURE_COUNT=${OPTIGA_SIGNATURE_COUNT:-2000} \
    ctest --test-dir "$dir" -j "$jobs" -L unit --timeout 600 ${OPTIGA_CROSS_CTEST_ARGS:-}
  summary+=("$(printf '%s: install %ds, configure+build %ds, unit tests %ds' "$arch" \
    $((installed_at - start)) $((built - installed_at)) $((SECONDS - built)))")
done

printf '\n==== cross builds passed ====\n'
printf '%s\n' "${summary[@]}"
