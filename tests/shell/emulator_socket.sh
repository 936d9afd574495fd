#!/usr/bin/env bash
# One emulated chip served by optiga-emulator on a Unix socket, used by several optigactl
# processes (docs/emulator-socket.md): info, keygen, sign, read, two clients at once, then the
# emulator stops on SIGTERM and removes its socket.
set -euo pipefail

source "$(dirname "$0")/lib/setup.sh"
[ -x "$emulator" ] || fail "$emulator is not built"
emu_pid=""
# Only the emulator this test started, by its PID.
on_exit '[ -z "$emu_pid" ] || { kill "$emu_pid"; wait "$emu_pid"; }'
fail() { echo "FAIL: $*" >&2; [ -f "$tmp/emu.log" ] && sed 's/^/  emulator: /' "$tmp/emu.log" >&2; exit 1; }

"$optigactl" sim create "$tmp/chip.state" --model trust-m-v3
"$emulator" --socket "$tmp/sim.sock" --state "$tmp/chip.state" --timeout 60 >"$tmp/emu.log" 2>&1 &
emu_pid=$!
for _ in $(seq 100); do [ -S "$tmp/sim.sock" ] && break; sleep 0.05; done
[ -S "$tmp/sim.sock" ] || fail "emulator did not create its socket"

ctl() { "$optigactl" --device "sim+unix:$tmp/sim.sock" "$@"; }

# The chip behind the socket is the one in the state file: same UID both ways.
ctl info | tee "$tmp/info.txt"
grep -Eq '^Chip: +OPTIGA Trust M V3 \(emulated\)$' "$tmp/info.txt" || fail "info over the socket"
uid_socket=$(ctl info --json | jq -r .uid)
uid_file=$("$optigactl" --device "sim:$tmp/chip.state" info --json | jq -r .uid)
[ -n "$uid_socket" ] && [ "$uid_socket" = "$uid_file" ] || fail "UID over socket '$uid_socket' != state file '$uid_file'"

ctl keygen 0xE0F2 --curve P-384 --pubout "$tmp/pub.pem"
echo "signed through the emulator socket" >"$tmp/msg.txt"
ctl sign 0xE0F2 --in "$tmp/msg.txt" --digest sha384 --out "$tmp/sig.der"
openssl dgst -sha384 -verify "$tmp/pub.pem" -signature "$tmp/sig.der" "$tmp/msg.txt" | grep -qx "Verified OK" \
  || fail "P-384 signature over the socket does not verify"
ctl read 0xE0E0 --out "$tmp/cert.bin"
[ "$(stat -c %s "$tmp/cert.bin")" -gt 300 ] || fail "0xE0E0 read over the socket is too short"

# Two clients at once: each writes its own object and reads it back many times; the emulator
# serialises their transactions, so both must see exactly their own bytes.
client() {
  local oid=$1 hex=$2 i
  for i in $(seq 10); do
    ctl write "$oid" --hex "$hex$(printf '%02x' "$i")" >/dev/null
    [ "$(ctl read "$oid")" = "$hex$(printf '%02x' "$i")" ] || { echo "client $oid: round $i read back wrong" >&2; return 1; }
    ctl sign 0xE0F2 --in "$tmp/msg.txt" --digest sha384 --out "$tmp/sig-$oid.der"
    openssl dgst -sha384 -verify "$tmp/pub.pem" -signature "$tmp/sig-$oid.der" "$tmp/msg.txt" >/dev/null \
      || { echo "client $oid: round $i signature bad" >&2; return 1; }
  done
}
client 0xF1D5 a1a2a3 & c1=$!
client 0xF1D6 b1b2b3 & c2=$!
wait "$c1" || fail "first concurrent client failed"
wait "$c2" || fail "second concurrent client failed"
[ "$(ctl read 0xF1D5)" = "a1a2a30a" ] && [ "$(ctl read 0xF1D6)" = "b1b2b30a" ] || fail "final object contents"

# Stop by PID: the emulator exits cleanly and removes its socket.
kill "$emu_pid"
rc=0
wait "$emu_pid" || rc=$?
emu_pid=""
[ "$rc" -eq 0 ] || fail "emulator exited $rc on SIGTERM"
[ ! -e "$tmp/sim.sock" ] || fail "socket left behind"
# Writes made through the socket are in the state file.
[ "$("$optigactl" --device "sim:$tmp/chip.state" read 0xF1D6)" = "b1b2b30a" ] || fail "state file misses the socket's writes"

echo "emulator_socket: all checks passed"
