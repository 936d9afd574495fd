#!/usr/bin/env bash
# Installs everything this project needs to build and test, from Debian 12's packages.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev          # libFuzzer targets and sanitizers
  # libraries
  libssl-dev openssl                # all crypto, ASN.1, X.509
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libcli11-dev
  libusb-1.0-0-dev libp11-kit-dev p11-kit libgpiod-dev
  # tools the shell tests drive
  opensc gnutls-bin softhsm2 libengine-pkcs11-openssl libnss3-tools
  mosquitto mosquitto-clients
  python3 awscli                    # scripts/provision and its local AWS IoT service tests
  curl                              # tests/shell/provider_curl_python.sh (docs/openssl.md)
  jq xxd util-linux
  debhelper lintian man-db         # the Debian packages (tests/shell/debian_packages.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
