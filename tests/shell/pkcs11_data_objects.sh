#!/usr/bin/env bash
# Data objects (CKO_DATA) through pkcs11-tool (issue 10 item 4): written to the chip with an
# application and a label, found, read and deleted by them in later processes; kept in the
# chip's free data objects with the documented header; private ones only after login; the chip's
# size limits (docs/pkcs11.md, "Data objects").
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

printf 'small secret' > d.bin
p11 --write-object d.bin --type data --application-label app --label x >/dev/null
p11 -O --type data | tee objects.txt
grep -q "label:          'x'" objects.txt || fail "no data object labelled x"
grep -q "application:    'app'" objects.txt || fail "no data object of application app"
p11 --read-object --type data --application-label app -o back.bin
cmp d.bin back.bin
p11 --read-object --type data --label x -o back2.bin
cmp d.bin back2.bin
echo "ok: --write-object/--read-object --type data --application-label app --label x"

# On the chip: the first free data object, "OPD1" ‖ flags ‖ TLVs (label, application, value).
"$optigactl" read 0xF1D4 > raw.hex
grep -qi '^4f50443100' raw.hex || fail "0xF1D4 does not hold the documented header: $(cat raw.hex)"

# An object id (DER OID 1.2.3.4) is kept too; a second object goes to the next chip object.
p11 --write-object d.bin --type data --application-label other --application-id 1.2.3.4 --label y >/dev/null
p11 -O --type data | grep -q "app_id:         1.2.3.4" || fail "the object id was lost: $(p11 -O --type data)"
p11 --delete-object --type data --application-label app
if p11 -O --type data | grep -q "application:    'app'"; then fail "the data object is still there"; fi
p11 --read-object --type data --application-label other -o other.bin
cmp d.bin other.bin
echo "ok: --delete-object --type data --application-label app; the other object stays"

# Larger than a chip data object (140 bytes on Trust M, with its attributes): CKR_DEVICE_MEMORY.
head -c 200 /dev/zero > big.bin
expect_fail '*' CKR_DEVICE_MEMORY p11 --write-object big.bin --type data --application-label big --label big

# Private: with a PIN configured, written and seen only after login.
printf 'user_pin = 1234\n' > pin.conf
OPTIGA_CONF=$tmp/pin.conf expect_fail '*' CKR_USER_NOT_LOGGED_IN \
  p11 --write-object d.bin --type data --application-label hidden --label h --private
OPTIGA_CONF=$tmp/pin.conf p11 --login --pin 1234 --write-object d.bin --type data --application-label hidden --label h --private >/dev/null
if OPTIGA_CONF=$tmp/pin.conf p11 -O --type data | grep -q "hidden"; then fail "a private data object is visible before login"; fi
OPTIGA_CONF=$tmp/pin.conf p11 --login --pin 1234 -O --type data | grep -q "application:    'hidden'" || fail "the private data object is not visible after login"
echo "ok: private data objects need login"

# A Trust X has eleven free data objects (0xF1D4–0xF1DA, 0xF1DC–0xF1DF) of 100 bytes.
new_chip x.state trust-x
printf 'x' > one.bin
for i in $(seq 1 11); do p11 --write-object one.bin --type data --application-label "a$i" --label "l$i" >/dev/null; done
expect_fail '*' CKR_DEVICE_MEMORY p11 --write-object one.bin --type data --application-label a12 --label l12
test "$(p11 -O --type data | grep -c "application:")" -eq 11
echo "ok: a Trust X keeps eleven data objects"
