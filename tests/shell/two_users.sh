#!/usr/bin/env bash
# Two users share one chip (docs/hardware.md, "Several users of one chip"): root and an
# unprivileged member of the chip users' group (i2c) use one emulated chip alternately through
# the PKCS#11 module and optigactl. The lock file root creates comes out 0660 in the group of
# the setgid directory, so the second user can take it. Then a holder stopped in the middle of an
# operation (SIGSTOP) makes the other user fail after the lock time-out ($OPTIGA_LOCK_TIMEOUT),
# with the holder's PID in the message.
# Needs root to create the second user; CI runs as root. Elsewhere it is skipped, saying so.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
if [ "$(id -u)" != 0 ]; then
  echo "SKIP: two_users.sh creates a second user and needs root (CI runs it as root)"
  exit 0
fi
group=i2c  # the chip users' group of docs/hardware.md
user=optiga-share-$$
if ! getent group "$group" >/dev/null; then
  groupadd "$group"
  on_exit "groupdel $group"
fi
useradd -M -N -G "$group" -s /bin/sh "$user"
on_exit "userdel $user"
signer=$build/tests/tools/optiga_p11_signer
signer_pid=
on_exit '[ -z "$signer_pid" ] || { kill -CONT "$signer_pid"; kill "$signer_pid"; wait "$signer_pid"; }'

# The chip users' directory: group i2c, setgid (docs/hardware.md); the emulator's socket stands
# for /dev/i2c-N, which belongs to that group.
chmod 0711 "$tmp"
shared=$tmp/chip
mkdir -m 2770 "$shared"
chgrp "$group" "$shared"
"$optigactl" sim create "$shared/chip.state" >/dev/null
timeout 300 "$emulator" --socket "$shared/chip.sock" --state "$shared/chip.state" --real-sleep --timeout 280 \
  >emulator.log 2>&1 &
emu_pid=$!
on_exit "kill $emu_pid 2>/dev/null; wait $emu_pid 2>/dev/null"
for _ in $(seq 1 100); do [ -S "$shared/chip.sock" ] && break; sleep 0.05; done
[ -S "$shared/chip.sock" ] || fail "the emulator did not start: $(cat emulator.log)"
chgrp "$group" "$shared/chip.sock"
chmod 0660 "$shared/chip.sock"
export OPTIGA_DEVICE="sim+unix:$shared/chip.sock"
as_user() { runuser -u "$user" -- env OPTIGA_DEVICE="$OPTIGA_DEVICE" OPTIGA_CONF=/dev/null "$@"; }

# Root uses the chip first: the lock file is root's, 0660, group i2c whatever root's umask.
(umask 077 && "$optigactl" keygen 0xE0F1 --pubout "$shared/pub.pem" >/dev/null)
lock=$shared/chip.sock.bus.lock
[ "$(stat -c '%a %G' "$lock")" = "660 $group" ] || fail "lock file is $(stat -c '%a %G' "$lock"), expected 660 $group"
echo "two users" > "$shared/data"
chmod 0640 "$shared/data"

for round in 1 2 3; do
  as_user timeout 60 pkcs11-tool --module "$module" --sign --id E0F1 -m ECDSA-SHA256 -i "$shared/data" \
    -o "$shared/sig.user" --signature-format openssl >/dev/null 2>&1 || fail "round $round: the user's pkcs11-tool --sign failed"
  openssl dgst -sha256 -verify "$shared/pub.pem" -signature "$shared/sig.user" "$shared/data" >/dev/null
  "$optigactl" sign 0xE0F1 --in "$shared/data" --out "$shared/sig.root" >/dev/null 2>&1
  openssl dgst -sha256 -verify "$shared/pub.pem" -signature "$shared/sig.root" "$shared/data" >/dev/null
  [ "$(as_user "$optigactl" random 16 | tr -d '\n' | wc -c)" -eq 32 ] || fail "round $round: the user's random failed"
  p11 --sign --id E0F1 -m ECDSA-SHA256 -i "$shared/data" -o "$shared/sig.root2" --signature-format openssl >/dev/null 2>&1
  openssl dgst -sha256 -verify "$shared/pub.pem" -signature "$shared/sig.root2" "$shared/data" >/dev/null
  echo "round $round: user pkcs11-tool, root optigactl, user optigactl, root pkcs11-tool: ok"
done

# Root's long-running signer, signing back to back (it holds the chip ~95 % of the time), is
# stopped; the user's next operation waits for the time-out and names it.
# Not under timeout(1): the PID stopped and named must be the signer's own (it ends after 100 s).
"$signer" "$module" e0f1 0 100 >signer.out 2>&1 &
signer_pid=$!
sleep 1
named=no
for attempt in $(seq 1 10); do
  kill -STOP "$signer_pid"
  start=$(date +%s%N)
  rc=0
  as_user env OPTIGA_LOCK_TIMEOUT=1 "$optigactl" random 8 >out.txt 2>err.txt || rc=$?
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  if [ "$rc" -ne 0 ]; then
    grep -q "process $signer_pid" err.txt || fail "the user's error does not name process $signer_pid: $(cat err.txt)"
    [ "$ms" -ge 1000 ] || fail "the user gave up after $ms ms, before the 1 s time-out"
    [ "$ms" -lt 6000 ] || fail "the user gave up after $ms ms: OPTIGA_LOCK_TIMEOUT=1 was not applied"
    echo "attempt $attempt: the user failed after $ms ms: $(head -1 err.txt)"
    named=yes
    break
  fi
  # Stopped between two operations: the chip was free. Let it run and stop it again.
  kill -CONT "$signer_pid"
  sleep 0.2
done
[ "$named" = yes ] || fail "the stopped signer never held the chip when stopped (10 attempts): $(cat signer.out)"
kill -CONT "$signer_pid"
# Once the holder runs again, the user gets the chip.
as_user env OPTIGA_LOCK_TIMEOUT=10 "$optigactl" random 8 >/dev/null
echo "two users: ok"
