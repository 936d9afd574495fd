#!/usr/bin/env bash
# The shipped PKCS#11 module and OpenSSL provider carry no emulator: no optiga::sim symbol, none of
# the emulator's test CA keys, no link to liboptiga-sim.so.0. A sim: device string loads the
# emulator library at run time: with $OPTIGA_SIM_LIBRARY naming a missing file every front end
# fails with the clear message (docs/emulated-chip.md, "The emulator library"); with it present,
# sim: works as before.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
B=$build
provider=$provider_dir/optiga.so
ctl=$optigactl
library=$build/emulator/liboptiga-sim.so.0

# The patterns find the emulator where it is (so a clean result below means something). Tool
# output goes to files first: `grep -q` on a pipe would end nm early and fail under pipefail.
nm -C "$library" >lib.syms; strings "$library" >lib.strings
grep -q 'optiga::sim::' lib.syms || fail "no optiga::sim symbols in $library: the pattern is wrong"
grep -q 'PRIVATE KEY' lib.strings || fail "no test CA key in $library: the pattern is wrong"

for m in "$module" "$provider" "$ctl"; do
  nm -DC "$m" >dyn.syms; nm -C "$m" >all.syms; strings "$m" >all.strings; readelf -d "$m" >dynamic.txt
  if grep -E 'optiga::sim::|optiga_sim_|SimTransport|ChipEngine' dyn.syms; then fail "$m exports emulator symbols"; fi
  # The full symbol table too (the build keeps it): not even hidden emulator code is linked in.
  if grep -E 'optiga::sim::' all.syms; then fail "$m contains emulator code"; fi
  if grep 'PRIVATE KEY' all.strings; then fail "$m contains a private key"; fi
  if grep 'liboptiga-sim' dynamic.txt; then fail "$m links the emulator library"; fi
done

message="sim: device strings need the emulator library liboptiga-sim.so.0 (package optiga-emulator)"
export OPTIGA_CONF=/dev/null

# Without the library: optigactl exits 3 (no chip) with the message, for `info` and `sim create`.
export OPTIGA_SIM_LIBRARY=$tmp/missing/liboptiga-sim.so.0
rc=0; "$ctl" --device sim: info >out.txt 2>err.txt || rc=$?
[ "$rc" = 3 ] || { cat out.txt err.txt; fail "optigactl info exit code $rc, expected 3"; }
grep -qF "$message" err.txt || { cat err.txt; fail "optigactl info does not name the library"; }
grep -qF "$OPTIGA_SIM_LIBRARY" err.txt || { cat err.txt; fail "optigactl info does not name the path tried"; }
rc=0; "$ctl" sim create chip.state >out.txt 2>err.txt || rc=$?
[ "$rc" = 3 ] || { cat out.txt err.txt; fail "optigactl sim create exit code $rc, expected 3"; }
grep -qF "$message" err.txt || { cat err.txt; fail "optigactl sim create does not name the library"; }
[ ! -e chip.state ] || fail "sim create made a chip without the library"

# The module keeps its slot but shows no token, and says why in its debug output.
rc=0; OPTIGA_DEVICE=sim: OPTIGA_LOG_LEVEL=debug timeout 60 pkcs11-tool --module "$module" -L >out.txt 2>err.txt || rc=$?
[ "$rc" = 0 ] || { cat out.txt err.txt; fail "pkcs11-tool -L exit code $rc"; }
grep -q 'Slot 0' out.txt || { cat out.txt; fail "pkcs11-tool -L shows no slot"; }
if grep -q 'token label' out.txt; then cat out.txt; fail "pkcs11-tool -L shows a token without the emulator"; fi
grep -qF "$message" err.txt || { cat err.txt; fail "the module does not name the library"; }
rc=0; OPTIGA_DEVICE=sim: timeout 60 pkcs11-tool --module "$module" -O >out.txt 2>err.txt || rc=$?
[ "$rc" != 0 ] || { cat out.txt err.txt; fail "pkcs11-tool -O succeeded without a token"; }

# The provider reports it as one OpenSSL error naming the library.
P=(-provider-path "$B/ossl_provider" -provider optiga -provider default)
rc=0; OPTIGA_DEVICE=sim: openssl pkey "${P[@]}" -in optiga:0xE0F0 -pubout >out.txt 2>err.txt || rc=$?
[ "$rc" != 0 ] || { cat out.txt err.txt; fail "openssl pkey succeeded without the emulator"; }
grep ':optiga:' err.txt | grep -qF "$message" || { cat err.txt; fail "the provider does not name the library"; }

# With the library (named explicitly, then found through the build tree's run path): sim: works.
for how in explicit runpath; do
  if [ "$how" = explicit ]; then export OPTIGA_SIM_LIBRARY=$library; else unset OPTIGA_SIM_LIBRARY; fi
  rm -f chip.state
  "$ctl" sim create chip.state >/dev/null
  export OPTIGA_DEVICE=sim:$tmp/chip.state
  "$ctl" info >info.txt
  grep -q '^Chip: *OPTIGA Trust M V3 (emulated)' info.txt || { cat info.txt; fail "optigactl info ($how)"; }
  timeout 60 pkcs11-tool --module "$module" -L >out.txt
  grep -q 'token label' out.txt || { cat out.txt; fail "pkcs11-tool -L shows no token ($how)"; }
  grep -qi 'emu' out.txt || { cat out.txt; fail "the token does not say it is emulated ($how)"; }
  openssl pkey "${P[@]}" -in optiga:0xE0F0 -pubout >pub.pem
  grep -q 'BEGIN PUBLIC KEY' pub.pem || fail "the provider read no public key ($how)"
done
echo "modules without emulator: ok"
