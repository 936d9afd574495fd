#!/usr/bin/env bash
# Cold start (docs/device-layer.md, "Sharing the chip"): a new process that signs once with one
# key sends the chip at most 4 APDUs — OpenApplication, the UID (the model), the key's public key,
# CalcSign — and never reads the factory certificate 0xE0E0 (nor any other certificate): the
# token reads an object only when an operation needs it. Counted with the emulator's counters
# (optiga-emulator over a socket, nothing else using it).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
COUNTERS="$build/tests/tools/optiga_sim_counters"
start_emulator chip.state
sock="$tmp/chip.state.sock"
counter() { "$COUNTERS" "$sock" | awk -v n="$1" '$1 == n { print $2 }'; }

"$optigactl" keygen 0xE0F1 --curve P-256 --pubout pub.pem >/dev/null
head -c 32 /dev/urandom > digest

# The factory certificate's size: a flow that read it would get at least that many bytes back.
cert_bytes=$(( $("$optigactl" read 0xE0E0 | tr -d '\n' | wc -c) / 2 ))
[ "$cert_bytes" -gt 300 ] || fail "the factory certificate is only $cert_bytes bytes"

# $1: what; the rest: the command. Fails above 4 APDUs, or when the chip sent back as many bytes
# as the factory certificate holds (every other answer of the flow together is far smaller).
count() {
  local what=$1 n from
  shift
  "$COUNTERS" "$sock" --reset
  "$@" >out.txt 2>err.txt || { cat out.txt err.txt; fail "$what failed"; }
  n=$(counter apdus)
  from=$(counter bytes_from_chip)
  echo "$what: $n APDUs, $from bytes from the chip (the factory certificate alone: $cert_bytes)"
  [ "$n" -le 4 ] || fail "$what sent $n APDUs, expected at most 4"
  [ "$from" -lt "$cert_bytes" ] || fail "$what read $from bytes: a certificate was read"
}

count "openssl req" openssl req -new -provider-path "$provider_dir" -provider optiga -provider default \
  -key optiga:0xE0F1 -subj /CN=x -out req.pem
openssl req -in req.pem -verify -noout

count "pkcs11-tool --sign" p11 --sign --id E0F1 -m ECDSA -i digest -o sig.raw
[ "$(stat -c %s sig.raw)" -eq 64 ] || fail "the signature is not 64 bytes"

echo "cold start: ok"
