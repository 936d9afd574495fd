#!/usr/bin/env bash
# Provider STORE: public keys by URI (pkey -pubin, dgst -verify, pkeyutl -verify -pubin,
# x509 -force_pubkey), storeutl listing the whole chip (optiga:) with -keys/-certs and
# -subject search, and a certificate slot holding something that is not a certificate.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state
PD=("${P[@]}" -provider default)

openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -pkeyopt optiga-replace:yes -out f1.ref
"$optigactl" pubkey 0xE0F1 -o chip_pub.pem

# --- Public keys by URI ------------------------------------------------------------------------
openssl pkey "${PD[@]}" -pubin -in optiga:0xE0F1 -out pub.pem
cmp pub.pem chip_pub.pem
openssl pkey "${PD[@]}" -pubin -in optiga:0xE0F1 -text -noout | grep -q "ASN1 OID: prime256v1"
printf 'signed by the chip\n' >msg
openssl dgst "${PD[@]}" -sha256 -sign optiga:0xE0F1 -out msg.sig msg
openssl dgst "${PD[@]}" -sha256 -verify optiga:0xE0F1 -signature msg.sig msg | grep -q "Verified OK"
printf 'tampered\n' >bad
if openssl dgst "${PD[@]}" -sha256 -verify optiga:0xE0F1 -signature msg.sig bad >/dev/null 2>&1; then fail "a bad signature verified"; fi
openssl dgst -sha256 -binary msg >msg.sha256
openssl pkeyutl "${PD[@]}" -sign -inkey optiga:0xE0F1 -in msg.sha256 -out raw.sig
openssl pkeyutl "${PD[@]}" -verify -pubin -inkey optiga:0xE0F1 -in msg.sha256 -sigfile raw.sig | grep -q "Verified Successfully"
# A certificate for the chip's public key, signed by a software CA (-force_pubkey by URI).
OPENSSL_CONF=/dev/null openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
  -subj /CN=store-ca -days 2 2>/dev/null
# (OpenSSL 3.0's -force_pubkey belongs to `openssl x509`; `req` has no such option before 3.2.)
openssl x509 -new "${PD[@]}" -CA ca.pem -CAkey ca.key -subj "/CN=pubkey_by_uri" -force_pubkey optiga:0xE0F1 -days 2 -out forced.pem
openssl x509 -in forced.pem -noout -pubkey | cmp - chip_pub.pem
# The certificate goes into the key's slot; it reads back through the store.
"$optigactl" cert write 0xE0E1 --in forced.pem >/dev/null
# An empty key slot asked for its public key still says it is empty.
expect_fail '*' "slot 0xE0F2 is empty" openssl pkey "${PD[@]}" -pubin -in optiga:0xE0F2

# --- storeutl over the whole chip --------------------------------------------------------------
openssl storeutl "${PD[@]}" optiga: >all.txt
grep -q ": Pkey" all.txt || fail "storeutl optiga: lists no private key: $(cat all.txt)"
grep -q ": Public key" all.txt || fail "storeutl optiga: lists no public key"
grep -q "Certificate" all.txt || fail "storeutl optiga: lists no certificate"
# the emulator's factory certificate (0xE0E0), ours (0xE0E1) and the keys 0xE0F0 and 0xE0F1
certs=$(grep -c ": Certificate" all.txt)
[ "$certs" -ge 2 ] || fail "expected at least two certificates, got $certs"
openssl storeutl "${PD[@]}" -keys optiga: >keys.txt
grep -q ": Pkey" keys.txt && ! grep -q -e "Certificate" -e ": Public key" keys.txt || fail "-keys: $(cat keys.txt)"
# (OpenSSL 3.0's storeutl has no -pubkeys: the public keys are in the full listing.)
grep -q "$(sed -n 2p chip_pub.pem)" all.txt || fail "the public key of 0xE0F1 is not listed"
openssl storeutl "${PD[@]}" -certs optiga: >certs.txt
[ "$(grep -c ": Certificate" certs.txt)" = "$certs" ] && ! grep -q "key" certs.txt || fail "-certs: $(cat certs.txt)"
# Search by subject: exactly our certificate.
openssl storeutl "${PD[@]}" -subject /CN=pubkey_by_uri optiga: >found.txt
[ "$(grep -c ": Certificate" found.txt)" = 1 ] || fail "-subject found: $(cat found.txt)"
openssl storeutl "${PD[@]}" -certs -subject /CN=pubkey_by_uri -noout -text optiga: | grep -q "Subject: CN *= *pubkey_by_uri"
openssl storeutl "${PD[@]}" -subject /CN=nobody optiga: >none.txt
! grep -q ": Certificate" none.txt || fail "-subject /CN=nobody found something"

# --- A certificate slot holding other data -----------------------------------------------------
# (optigactl write stores any bytes when told to; older versions take them without --raw.)
openssl x509 -in forced.pem -out forced.pem
"$optigactl" write 0xE0E2 --raw --in forced.pem >/dev/null 2>&1 || "$optigactl" write 0xE0E2 --in forced.pem >/dev/null
expect_fail '*' "slot 0xE0E2 holds" openssl x509 "${PD[@]}" -in optiga:0xE0E2 -noout
grep -q "not a certificate" err.txt || fail "no 'not a certificate' in: $(cat err.txt)"
grep -q "PEM text" err.txt || fail "the PEM text is not named: $(cat err.txt)"
! grep -q "empty" err.txt || fail "a slot holding data is called empty: $(cat err.txt)"
"$optigactl" write 0xE0E2 --raw --hex 01020304 >/dev/null 2>&1 || "$optigactl" write 0xE0E2 --hex 01020304 >/dev/null
expect_fail '*' "slot 0xE0E2 holds 4 bytes, not a certificate" openssl x509 "${PD[@]}" -in optiga:0xE0E2 -noout
echo OK
