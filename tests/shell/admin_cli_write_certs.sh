#!/usr/bin/env bash
# `optigactl write` into certificate and trust-anchor slots (issue 10 item 17; docs/admin-cli.md
# "read / write"): a DER or PEM certificate is stored as DER where every reader finds it, one for
# another key than the paired one is written with a warning (exit 0), anything else is refused
# (exit 2) unless --raw.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

"$optigactl" keygen 0xE0F1 --pubout pub.pem >/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -new -x509 -key ca.key -subj /CN=test-ca -days 2 -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out other.key
openssl req -new -key other.key -subj /CN=device -out any.csr
openssl x509 -req -in any.csr -force_pubkey pub.pem -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out cert.pem 2>/dev/null
openssl x509 -in cert.pem -outform DER -out cert.der
openssl x509 -req -in any.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out other.pem 2>/dev/null

# PEM: stored as DER, the token shows it, it certifies the key.
"$optigactl" write 0xE0E1 --in cert.pem >out.txt
grep -q "wrote a certificate of $(stat -c %s cert.der) bytes (DER, from PEM) to 0xE0E1" out.txt || fail "$(cat out.txt)"
[ "$("$optigactl" read 0xE0E1)" = "$(xxd -p -c 100000 cert.der)" ] || fail "0xE0E1 does not hold the DER"
"$optigactl" cert check 0xE0F1 >/dev/null
p11 --list-objects --type cert | grep -q "label: *E0E1" || fail "PKCS#11 shows no certificate in 0xE0E1"
# DER as it is, with --json.
"$optigactl" --json write 0xE0E1 --in cert.der >w.json
jq -e '.oid == "0xE0E1" and .certificate == true and .from_pem == false and .key_slot == "0xE0F1" and .matches_key == true' \
  w.json >/dev/null || fail "write --json: $(cat w.json)"

# Another key's certificate: written, with a warning, exit 0.
"$optigactl" write 0xE0E1 --in other.pem >/dev/null 2>warn.txt
grep -q "warning: the certificate in 0xE0E1 is for another key than the one in 0xE0F1" warn.txt || fail "no warning: $(cat warn.txt)"
expect_fail 1 "is for another key" "$optigactl" cert check 0xE0F1
"$optigactl" write 0xE0E1 --in cert.pem >/dev/null 2>warn.txt
[ ! -s warn.txt ] || fail "a warning for the right key: $(cat warn.txt)"

# Anything else: refused before anything is written, unless --raw.
printf 'not a certificate' >data.bin
expect_fail 2 "0xE0E1 is a certificate slot and these 17 bytes are not an X.509 certificate (DER or PEM); write other data there with --raw" \
  "$optigactl" write 0xE0E1 --in data.bin
expect_fail 2 "the PEM file holds no CERTIFICATE block" "$optigactl" write 0xE0E1 --in ca.key
expect_fail 2 "not an X.509 certificate" "$optigactl" write 0xE0E8 --hex 3003020101
expect_fail 2 "--no-erase" "$optigactl" write 0xE0E1 --in cert.pem --no-erase
rc=0; "$optigactl" --json write 0xE0E1 --in data.bin >err.json 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] && jq -e '.error.reason == "not_a_certificate"' err.json >/dev/null || fail "--json refusal: exit $rc, $(cat err.json)"
"$optigactl" cert check 0xE0F1 >/dev/null  # the refused writes left the certificate
"$optigactl" write 0xE0E1 --raw --in data.bin >/dev/null
[ "$("$optigactl" read 0xE0E1)" = "$(xxd -p data.bin)" ] || fail "--raw did not write the bytes"

# A trust anchor: no paired key, no warning.
"$optigactl" --json write 0xE0E8 --in ca.pem >a.json 2>warn.txt
jq -e '.key_slot == null and .matches_key == null and .from_pem == true' a.json >/dev/null || fail "anchor: $(cat a.json)"
[ ! -s warn.txt ] || fail "a warning for a trust anchor: $(cat warn.txt)"
"$optigactl" cert read 0xE0E8 --out anchor.der 2>/dev/null
openssl x509 -in ca.pem -outform DER | cmp -s - anchor.der || fail "the trust anchor reads back differently"
# Other objects take any bytes, as before.
"$optigactl" write 0xF1D4 --in data.bin >/dev/null
echo OK
