#!/usr/bin/env bash
# Provider: certificates through optiga:0xE0E0 (factory) and optiga:0xE0E1 (written by a tool),
# and ECDH with a chip key equal to the software result.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

openssl x509 "${P[@]}" -provider default -in optiga:0xE0E0 -noout -subject | grep -q "subject=.*OPTIGA"
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -pkeyopt optiga-usage:sign,auth,keyagree -out f1.ref
openssl req -new "${P[@]}" -key optiga:0xE0F1 -subj "/CN=my_thing" -out x.csr
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=ca -days 2 2>/dev/null
openssl x509 -req -in x.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out thing.pem -days 2 2>/dev/null
openssl x509 -in thing.pem -outform DER -out thing.der
# pkcs11-tool --write-object thing.der --type cert --id E0F1 does the same through the PKCS#11 module.
"$optigactl" write 0xE0E1 --erase -i thing.der
openssl x509 "${P[@]}" -provider default -in optiga:0xE0E1 -noout -fingerprint > a.txt
openssl x509 -in thing.pem -noout -fingerprint > b.txt
cmp a.txt b.txt

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out peer.pem
openssl pkey -in peer.pem -pubout -out peerpub.pem
openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout -out chippub.pem
openssl pkeyutl "${P[@]}" -provider default -derive -inkey optiga:0xE0F1 -peerkey peerpub.pem -out chip.secret
openssl pkeyutl -derive -inkey peer.pem -peerkey chippub.pem -out soft.secret
cmp chip.secret soft.secret
echo OK
