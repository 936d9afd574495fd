#!/usr/bin/env bash
# pkcs11-tool against the module on a fresh emulated chip: info, keygen, sign+verify, cert
# write/read/delete, random, ECDH derive, --test --login (docs/pkcs11.md, "Flows").
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

p11 -I | grep -q "OPTIGA Trust X/M PKCS#11 module"
p11 -L | grep -q "token model        : Trust M V3 (emu)"
p11 -M | grep -q "ECDSA-SHA256"
p11 -O | grep -q "label:      E0F0"

p11 --keypairgen --key-type EC:prime256v1 --id E0F1 --label device-key >/dev/null
p11 --keypairgen --key-type EC:secp384r1 --id E0F2 --usage-derive --usage-sign >/dev/null
p11 -O --type privkey | grep -q "label:      device-key"

echo "hello optiga" > data
openssl dgst -sha256 -binary data > data.sha256
p11 --read-object --type pubkey --id E0F1 -o pub.der
p11 --sign --id E0F1 -m ECDSA -i data.sha256 -o sig.der --signature-format openssl
openssl pkeyutl -verify -pubin -keyform DER -inkey pub.der -in data.sha256 -sigfile sig.der
p11 --sign --id E0F1 -m ECDSA-SHA256 -i data -o sig2.der --signature-format openssl
openssl dgst -sha256 -verify pub.der -keyform DER -signature sig2.der data

# A certificate for the key in E0F1 (issued by a software CA), written, read back, deleted.
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj /CN=ca -days 2 -out ca.pem 2>/dev/null
openssl req -new -key ca.key -subj /CN=device -out dev.csr
openssl ec -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null
openssl x509 -req -in dev.csr -CA ca.pem -CAkey ca.key -force_pubkey pub.pem -days 2 -outform DER -out cert.der 2>/dev/null
p11 --write-object cert.der --type cert --id E0F1 >/dev/null
p11 --read-object --type cert --id E0F1 -o back.der
cmp cert.der back.der
p11 --delete-object --type cert --id E0F1
if p11 -O --type cert | grep -q "ID:         e0f1"; then echo "certificate still there"; exit 1; fi

test "$(p11 --generate-random 64 | wc -c)" -eq 64

openssl ecparam -name secp384r1 -genkey -noout -out peer.pem
openssl ec -in peer.pem -pubout -outform DER -out peer.der 2>/dev/null
p11 --derive --id E0F2 -m ECDH1-DERIVE --input-file peer.der -o secret.bin
timeout 60 p11tool --provider "$module" --export-pubkey "pkcs11:id=%e0%f2;type=public" > pub2.pem 2>/dev/null
openssl pkeyutl -derive -inkey peer.pem -peerkey pub2.pem -out expected.bin
cmp secret.bin expected.bin

p11 --test --login --pin 1234 | tee test.log
grep -q "No errors" test.log
echo "pkcs11-tool flows: ok"
