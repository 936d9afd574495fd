#!/usr/bin/env bash
# Provider: a CSR and signatures made inside the chip, verified with the default provider.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref
# Exactly as users type it: only the optiga provider, then also with default.
openssl req -new "${P[@]}" -key optiga:0xE0F1 -subj "/CN=my_thing" -out x.csr
openssl req -verify -in x.csr -noout 2>&1 | grep -q "verify OK"
openssl req -new "${P[@]}" -provider default -key optiga:0xE0F1 -subj "/C=DE/O=Example/OU=IoT/CN=my_thing" -out y.csr
openssl req -verify -in y.csr -noout 2>&1 | grep -q "verify OK"
openssl req -in y.csr -noout -subject | grep -q "CN = my_thing"

# P-384 with -sha384 in another slot
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-384 -pkeyopt optiga-slot:0xE0F2 -out f2.ref
openssl req -new "${P[@]}" -provider default -key optiga:0xE0F2 -sha384 -subj "/CN=my_thing" -out z.csr
openssl req -verify -in z.csr -noout 2>&1 | grep -q "verify OK"
openssl req -in z.csr -noout -text | grep -q "ecdsa-with-SHA384"

# dgst and pkeyutl signatures verify with the public key from -pubout
openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout -out pub.pem
head -c 1000 /dev/urandom > msg
openssl dgst "${P[@]}" -sha256 -sign optiga:0xE0F1 -out msg.sig msg
openssl dgst -sha256 -verify pub.pem -signature msg.sig msg | grep -q "Verified OK"
openssl dgst -sha256 -binary msg > msg.dgst
openssl pkeyutl "${P[@]}" -sign -inkey optiga:0xE0F1 -in msg.dgst -out msg.sig2
openssl pkeyutl -verify -pubin -inkey pub.pem -in msg.dgst -sigfile msg.sig2 | grep -q "Verified Successfully"
# A SHA-512 digest on P-256 is cut to the curve size, as ECDSA prescribes.
openssl dgst "${P[@]}" -sha512 -sign optiga:0xE0F1 -out msg.sig3 msg
openssl dgst -sha512 -verify pub.pem -signature msg.sig3 msg | grep -q "Verified OK"
# text output names the slot, never key material
openssl pkey "${P[@]}" -in optiga:0xE0F1 -text -noout | grep -q "held in OPTIGA slot 0xE0F1"
echo OK
