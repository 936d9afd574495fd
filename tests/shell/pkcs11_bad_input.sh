#!/usr/bin/env bash
# Refused writes give the documented CKR_* codes and leave the chip unchanged
# (docs/pkcs11.md, "Error codes").
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state
expect_rv() {  # expect_rv "(0xNN)" command...: the CK_RV as pkcs11-tool prints it
  local want=$1; shift
  if "$@" >out.log 2>&1; then echo "expected $want, command succeeded: $*"; exit 1; fi
  grep -q "$want" out.log || { echo "expected $want:"; cat out.log; exit 1; }
}
p11 -O > before.txt

# Key generation into the factory key slot, and into an occupied slot.
expect_rv "(0x1b)" p11 --keypairgen --key-type EC:prime256v1 --id E0F0
p11 --keypairgen --key-type EC:prime256v1 --id E0F1 >/dev/null
p11 -O > before.txt
expect_rv "(0x1b)" p11 --keypairgen --key-type EC:prime256v1 --id E0F1
# (Not a certificate -> CKR_ATTRIBUTE_VALUE_INVALID is checked by tests/unit/pkcs11: pkcs11-tool
# refuses such a file itself before calling the module.)
# Writing the locked factory certificate slot.
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout k.pem -subj /CN=x -days 2 -outform DER -out other.der 2>/dev/null
expect_rv "(0x1b)" p11 --write-object other.der --type cert --id E0E0
# Destroying a key: the chip cannot erase keys.
expect_rv "(0x1b)" p11 --delete-object --type privkey --id E0F1
p11 -O > after.txt
diff before.txt after.txt

# Unsupported curve on Trust X.
"$build/tools/optigactl/optigactl" sim create "$tmp/x.state" --model trust-x >/dev/null
OPTIGA_DEVICE="sim:$tmp/x.state?model=trust-x" expect_rv "(0x140)" p11 --keypairgen --key-type EC:secp521r1 --id E0F1
echo "bad input: ok"
