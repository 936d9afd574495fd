#!/usr/bin/env bash
# The admin CLI on a fresh emulated chip, the way docs/admin-cli.md shows it: info, objects,
# keygen + sign verified by OpenSSL, write/read, locking an object, and bad input.
set -euo pipefail

source "$(dirname "$0")/lib/setup.sh"

# --- a fresh chip -----------------------------------------------------------------------------
"$optigactl" sim create chip.state | tee create.txt
grep -q "created an emulated OPTIGA Trust M V3 in chip.state" create.txt || fail "sim create output"
[ -s chip.state ] || fail "no state file"
expect_fail 2 "already holds an emulated chip" "$optigactl" sim create chip.state
export OPTIGA_DEVICE=sim:$tmp/chip.state
ctl() { "$optigactl" "$@"; }

# --- info -------------------------------------------------------------------------------------
ctl info | tee info.txt
grep -Eq '^Chip: +OPTIGA Trust M V3 \(emulated\)$' info.txt || fail "info: model"
grep -Eq '^UID: +[0-9a-f]{54}$' info.txt || fail "info: UID (27 bytes hex)"
grep -Eq '^Firmware: +[0-9]' info.txt || fail "info: firmware"
grep -Eq '^Global life cycle: +operational \(0x07\)$' info.txt || fail "info: global life cycle"
grep -Eq '^App life cycle: +creation \(0x01\)$' info.txt || fail "info: application life cycle"
grep -Eq '^Security events: +0$' info.txt || fail "info: security event counter"
grep -Eq '^Comms buffer: +1557 bytes$' info.txt || fail "info: comms buffer"

ctl info --json >info.json
jq -e '.model_id == "trust-m-v3" and .emulated == true and .comms_buffer_size == 1557' info.json >/dev/null \
  || fail "info --json fields"
uid=$(jq -r .uid info.json)
[[ $uid =~ ^[0-9a-f]{54}$ ]] || fail "info --json uid '$uid'"
grep -q "$uid" info.txt || fail "text and JSON UIDs differ"
# The global option works before the subcommand too.
ctl --json info | jq -e --arg uid "$uid" '.uid == $uid' >/dev/null || fail "--json before the subcommand"

# --- objects ----------------------------------------------------------------------------------
ctl objects | tee objects.txt
grep -Eq '^0xE0E0 +Device certificate 1 +creation +[0-9]+/1728 bytes +NEV +ALW +ALW$' objects.txt \
  || fail "objects: 0xE0E0 line"
grep -Eq '^0xE0F0 +ECC private key 1 .* P-256 .*Auth' objects.txt || fail "objects: factory key 0xE0F0"
ctl objects --json >objects.json
jq -e '.objects[] | select(.oid == "0xE0E0") | .metadata.read == "ALW" and .metadata.change == "NEV"' \
  objects.json >/dev/null || fail "objects --json: 0xE0E0 metadata"
[ "$(jq '.objects | length' objects.json)" -eq "$(grep -c '^0x' objects.txt)" ] || fail "objects: text and JSON counts differ"

ctl metadata get 0xE0E0 | tee meta.txt
grep -q "Change: NEV" meta.txt || fail "metadata get 0xE0E0"

# --- a key made inside the chip signs; OpenSSL verifies ----------------------------------------
ctl keygen 0xE0F1 --curve P-256 --pubout pub.pem | tee keygen.txt
grep -q "generated P-256 key in 0xE0F1" keygen.txt || fail "keygen output"
openssl pkey -pubin -in pub.pem -noout -text | grep -q "prime256v1" || fail "pub.pem is not a P-256 key"
echo "a message signed inside the chip" >msg.txt
ctl sign 0xE0F1 --in msg.txt --out sig.der
openssl dgst -sha256 -verify pub.pem -signature sig.der msg.txt | tee verify.txt
grep -qx "Verified OK" verify.txt || fail "signature does not verify"
# The same public key is what `pubkey` reads back later.
ctl pubkey 0xE0F1 | cmp -s - pub.pem || fail "pubkey differs from keygen --pubout"
# A changed message must not verify.
echo "another message" >other.txt
if openssl dgst -sha256 -verify pub.pem -signature sig.der other.txt >/dev/null 2>&1; then fail "verified the wrong message"; fi

# --- data object write/read round trip ----------------------------------------------------------
head -c 100 /dev/urandom >data.bin
ctl write 0xF1D4 --in data.bin | grep -q "wrote 100 bytes to 0xF1D4" || fail "write output"
ctl read 0xF1D4 --out back.bin
cmp data.bin back.bin || fail "read back differs"
ctl write 0xF1D4 --hex 0a0b0c
[ "$(ctl read 0xF1D4)" = "0a0b0c" ] || fail "write replaces the whole object"
ctl read 0xF1D4 --json | jq -e '.size == 3 and .data == "0a0b0c"' >/dev/null || fail "read --json"

# --- locking: life cycle operational, then the write is refused ---------------------------------
ctl metadata set 0xF1D4 --lcso op | tee lock.txt
grep -q "c0 01 07" lock.txt || fail "LcsO not operational"
expect_fail 1 "access conditions not satisfied" "$optigactl" write 0xF1D4 --hex 01
[ "$(ctl read 0xF1D4)" = "0a0b0c" ] || fail "refused write changed the object"
expect_fail 1 "access conditions not satisfied" "$optigactl" write 0xE0E0 --raw --hex 00  # --raw: not a certificate (issue 10 item 17)

# A raw metadata TLV: Change = NEV locks the object for good.
ctl metadata set 0xF1D7 --hex "20 03 D0 01 FF" | grep -q "d0 01 ff" || fail "metadata set --hex"
expect_fail 1 "access conditions not satisfied" "$optigactl" write 0xF1D7 --hex 01

# --- random, reset ------------------------------------------------------------------------------
[[ $(ctl random 16) =~ ^[0-9a-f]{32}$ ]] || fail "random 16"
[ "$(ctl random 16)" != "$(ctl random 16)" ] || fail "random repeats"
# A count is a whole number from 1 to 65536: a huge or negative one is a usage error at once.
expect_fail 2 "random: the count must be a whole number from 1 to 65536" timeout 10 "$optigactl" random 4294967297
expect_fail 2 "random: the count must be a whole number from 1 to 65536" timeout 10 "$optigactl" random -- -5
expect_fail 2 "random: the count must be a whole number from 1 to 65536" timeout 10 "$optigactl" random 0
[ "$(ctl random 65536 | tr -d '\n' | wc -c)" = 131072 ] || fail "random 65536"
# Signatures only over the digests an ECDSA key of the chip is meant for.
expect_fail 2 "unsupported digest 'md5'" "$optigactl" sign 0xE0F1 --in msg.txt --digest md5
expect_fail 2 "unsupported digest 'sha1'" "$optigactl" sign 0xE0F1 --in msg.txt --digest sha1
# sign reads its input as a stream: a file larger than memory would allow is fine (here 64 MiB).
head -c 67108864 /dev/zero >big.bin
ctl sign 0xE0F1 --in big.bin --digest sha384 --out big.sig
openssl dgst -sha384 -verify pub.pem -signature big.sig big.bin | grep -qx "Verified OK" || fail "big file signature"
ctl reset | grep -q "chip reset" || fail "reset"
[ "$(ctl read 0xF1D4)" = "0a0b0c" ] || fail "object lost over reset"

# --- bad input: clear messages, non-zero exits ---------------------------------------------------
expect_fail 2 "'0xZZ' is not an object id" "$optigactl" read 0xZZ
expect_fail 2 "'hello' is not an object id" "$optigactl" metadata get hello
expect_fail 2 "unknown curve 'P-999'" "$optigactl" keygen 0xE0F2 --curve P-999
expect_fail 2 "unknown life cycle 'later'" "$optigactl" metadata set 0xF1D5 --lcso later
expect_fail 2 "cannot read 'missing.txt'" "$optigactl" sign 0xE0F1 --in missing.txt
expect_fail 3 "no emulated chip at $tmp/none.state" "$optigactl" --device "sim:$tmp/none.state" info
[ ! -e none.state ] || fail "a missing state file was created silently"
expect_fail 2 "unknown model 'trust-z'" "$optigactl" sim create other.state --model trust-z

# --- probe: no hardware here, and it says what to do --------------------------------------------
rc=0
"$optigactl" probe >probe.txt 2>&1 || rc=$?
cat probe.txt
# Exit 3 is "no chip", as for every command that finds none (docs/admin-cli.md "Exit codes").
[ "$rc" -eq 3 ] || [ "$rc" -eq 0 ] || fail "probe exited $rc"
if [ "$rc" -eq 3 ]; then
  grep -q "No OPTIGA found" probe.txt || fail "probe: no 'No OPTIGA found'"
  grep -q "optigactl sim create" probe.txt || fail "probe: does not point at the emulator"
fi
"$optigactl" probe --json >probe.json || true
jq -e '.address == "0x30" and (.buses | type == "array")' probe.json >/dev/null || fail "probe --json"

echo "admin_cli: all checks passed"
