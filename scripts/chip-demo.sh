#!/usr/bin/env bash
# The README's main command (until provisioning replaces it): installs dependencies, builds,
# creates an emulated OPTIGA Trust M, shows it, generates a P-256 key inside it, signs a message
# with that key inside the chip and verifies the signature with OpenSSL.
#   scripts/chip-demo.sh       chip in a temporary directory, removed afterwards
#   scripts/chip-demo.sh --keep chip kept in ./demo-chip.state (reused if it exists)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

keep=false
case "${1:-}" in
  "") ;;
  --keep) keep=true ;;
  *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

bold="" plain=""
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
step() { printf '\n%s==> %s%s\n' "$bold" "$*" "$plain"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "Installing dependencies (Debian packages)"
"$root/scripts/install-deps.sh"

step "Building (release)"
# The full build log only matters when it fails.
build_log=$(mktemp)
if ! "$root/scripts/build.sh" release >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  echo "demo: the build failed (full log: $build_log)" >&2
  exit 1
fi
rm -f "$build_log"
optigactl=$root/build/tools/optigactl/optigactl
[ -x "$optigactl" ] || { echo "demo: build did not produce $optigactl" >&2; exit 1; }
echo "built $optigactl"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if $keep; then state=$PWD/demo-chip.state; else state=$work/chip.state; fi

step "Creating an emulated OPTIGA Trust M V3"
if [ -e "$state" ]; then
  echo "reusing the emulated chip in $state"
else
  show "$optigactl" sim create "$state"
fi
# Every later command finds the chip through this, exactly as it would find a real one.
export OPTIGA_DEVICE=sim:$state

step "The chip"
show "$optigactl" info

step "Its objects and their access conditions"
show "$optigactl" objects

step "Generating a P-256 key pair inside the chip, in slot 0xE0F1"
show "$optigactl" keygen 0xE0F1 --curve P-256 --usage sign --pubout "$work/e0f1.pub.pem"
echo "public key (the private key never leaves the chip):"
cat "$work/e0f1.pub.pem"

step "Signing a message inside the chip"
printf 'Hello from an OPTIGA Trust M, %s\n' "$(date -u +%FT%TZ)" >"$work/message.txt"
echo "message: $(cat "$work/message.txt")"
show "$optigactl" sign 0xE0F1 --in "$work/message.txt" --out "$work/message.sig"
openssl asn1parse -inform DER -in "$work/message.sig"

step "Verifying the signature with OpenSSL, using only the public key"
show openssl dgst -sha256 -verify "$work/e0f1.pub.pem" -signature "$work/message.sig" "$work/message.txt"

printf '\n%sDone:%s a key made inside the (emulated) chip signed a message that OpenSSL verified.\n' "$bold" "$plain"
if $keep; then
  echo "The chip is kept in $state; try: OPTIGA_DEVICE=sim:$state $optigactl objects"
else
  echo "Keep the chip for more experiments with: $0 --keep   (see docs/admin-cli.md)"
fi
