#!/usr/bin/env bash
# Provider: genpkey into a slot writes a reference file that -key FILE loads later; the public
# key from optiga:0xE0F2 equals the one the chip reports, the file's, and pkcs11-tool's.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

for curve in P-256 P-384; do
  openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:$curve -pkeyopt optiga-slot:0xE0F2 -pkeyopt optiga-replace:yes -out key.ref
  grep -q "BEGIN OPTIGA KEY REFERENCE" key.ref
  openssl pkey "${P[@]}" -in optiga:0xE0F2 -pubout -out pub.pem
  "$optigactl" pubkey 0xE0F2 -o chip.pem
  cmp pub.pem chip.pem
  # ... and equals what the PKCS#11 module presents for the same slot. pkcs11-tool 0.23 cannot
  # rebuild P-384 public keys (it fails the same way on SoftHSM2), so P-384 is read with p11tool.
  if [ "$curve" = P-256 ]; then
    p11 --read-object --type pubkey --id E0F2 \
      -o p11.der 2>/dev/null
  else
    p11tool --provider "$module" --export-pubkey \
      "pkcs11:object=E0F2;type=public" --outfile p11.out 2>/dev/null
    openssl pkey -pubin -in p11.out -outform DER -out p11.der
  fi
  openssl pkey -pubin -inform DER -in p11.der -out p11.pem
  cmp pub.pem p11.pem
  # the reference file (file: store of the default provider, decoder of ours)
  openssl pkey "${P[@]}" -provider default -in key.ref -pubout -out ref.pem
  cmp pub.pem ref.pem
  openssl req -new "${P[@]}" -provider default -key key.ref -subj "/CN=from_ref" -out r.csr
  openssl req -verify -in r.csr -noout 2>&1 | grep -q "verify OK"
done
# A reference outliving its key is refused with the reason.
cp key.ref old.ref
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F2 -pkeyopt optiga-replace:yes -out key.ref
if openssl pkey "${P[@]}" -provider default -in old.ref -pubout 2>err.txt; then exit 1; fi
# (OpenSSL 3.0 drops the decoder's reason here; the load fails all the same.)
# An occupied slot is not overwritten without optiga-replace.
if openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F2 -out x.ref 2>err.txt; then exit 1; fi
grep -q "0xE0F2 already holds" err.txt
# optiga-replace takes the same yes/no words as every other setting (core/util/yes_no.h).
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F2 -pkeyopt optiga-replace:on -out on.ref
if openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F2 -pkeyopt optiga-replace:maybe -out x.ref 2>err.txt; then exit 1; fi
grep -q "'maybe' is neither yes nor no" err.txt
echo OK
