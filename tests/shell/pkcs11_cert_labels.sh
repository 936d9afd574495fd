#!/usr/bin/env bash
# A certificate keeps the CKA_LABEL it is written with (issue 10 item 3): NSS's nickname
# (certutil -A -n), pkcs11-tool --label; read, found and deleted by that label, in a new process
# too (docs/pkcs11.md, "Labels").
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

# A key in E0F1 and a certificate for it (issued by a software CA).
p11 --keypairgen --key-type EC:prime256v1 --id E0F1 --label device-key >/dev/null
p11 --read-object --type pubkey --id E0F1 -o pub.der
openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -subj /CN=ca -days 2 -out ca.pem 2>/dev/null
openssl req -new -key ca.key -subj /CN=device -out dev.csr
openssl ec -pubin -inform DER -in pub.der -out pub.pem 2>/dev/null
openssl x509 -req -in dev.csr -CA ca.pem -CAkey ca.key -force_pubkey pub.pem -days 2 -outform DER -out cert.der 2>/dev/null

# pkcs11-tool: written with a label (the slot comes from the matching key), then read and
# deleted by that label alone.
p11 --write-object cert.der --type cert --label web-cert >/dev/null
p11 -O --type cert | grep -q "label:      web-cert" || fail "the certificate lost its label: $(p11 -O --type cert)"
p11 --read-object --type cert --label web-cert -o back.der
cmp cert.der back.der
p11 --delete-object --type cert --label web-cert
if p11 -O --type cert | grep -q "label:      web-cert"; then fail "the certificate is still there"; fi
echo "ok: pkcs11-tool --write-object/--read-object/--delete-object --label web-cert"

# NSS (Debian's libnss3-tools): the module in a fresh database, the certificate imported into the
# token under a nickname, listed as TOKEN:nickname.
token=$(p11 -L | sed -n 's/^ *token label *: //p' | head -1)
[ -n "$token" ] || fail "no token label in pkcs11-tool -L"
mkdir nssdb
certutil -N -d sql:nssdb --empty-password
modutil -dbdir sql:nssdb -add optiga -libfile "$module" -force >/dev/null
certutil -A -n my-cert -h "$token" -t ,, -i cert.der -d sql:nssdb
certutil -L -h "$token" -d sql:nssdb | tee list.txt
grep -qF "$token:my-cert" list.txt || fail "certutil -L does not show $token:my-cert"
certutil -L -n "$token:my-cert" -d sql:nssdb -r > nss.der
cmp cert.der nss.der
p11 -O --type cert | grep -q "label:      my-cert"
echo "ok: certutil -A -n my-cert -h '$token' → certutil -L shows $token:my-cert"

# Renamed with C_SetAttributeValue (pkcs11-tool --set-id is for ids; NSS renames with --rename).
certutil --rename -n "$token:my-cert" --new-n renamed -d sql:nssdb
certutil -L -h "$token" -d sql:nssdb | grep -qF "$token:renamed" || fail "certutil --rename did not rename"
p11 -O --type cert | grep -q "label:      renamed"
certutil -D -n "$token:renamed" -d sql:nssdb
if p11 -O --type cert | grep -q "label:      renamed"; then fail "certutil -D left the certificate"; fi
echo "ok: certutil --rename and -D by nickname"
