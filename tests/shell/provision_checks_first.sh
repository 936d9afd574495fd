#!/usr/bin/env bash
# provision checks every input before anything changes (exit 2, chip and cloud untouched): a thing
# name whose policy name AWS refuses (':'), a CN over X.509's 64 characters, a curve AWS IoT does
# not sign (brainpool, also for --reuse-key), a root CA that is missing or not a CA, an Azure CA
# that is not a CA, a bad device id. A root CA or Azure CA certificate in DER is accepted.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"
dev=$(chip_device chip.state)
untouched() {  # no key in 0xE0F1/0xE0F3, nothing in 0xE0E1; AWS holds no certificate, thing or policy
  ! "$optigactl" -d "$dev" pubkey 0xE0F1 >/dev/null 2>&1 || fail "a key was generated in 0xE0F1"
  ! "$optigactl" -d "$dev" pubkey 0xE0F3 >/dev/null 2>&1 || fail "a key was generated in 0xE0F3"
  [ -z "$("$optigactl" -d "$dev" read 0xE0E1)" ] || fail "0xE0E1 was written"
  [ "$(state_count certificates)" -eq 0 ] && [ "$(state_count things)" -eq 0 ] && [ "$(state_count policies)" -eq 0 ] \
    || fail "the cloud changed: $(aws_local_state)"
}
run() { "$provision" aws --device "$dev" --root-ca "$tmp/ca/ca.pem" "$@"; }
long=$(printf 'x%.0s' {1..65})

# Names: AWS thing names may hold ':', policy names may not (THING-policy would be refused by
# CreatePolicy after the key, certificate and thing exist); a CN holds at most 64 characters.
expect_fail 2 "policy name 'plant:7-policy' (made from thing name 'plant:7') is not valid" run --thing plant:7
expect_fail 2 "policy name 'a/b' is not valid" run --thing t1 --policy a/b
expect_fail 2 "CN '$long' has 65 characters, more than 64" run --thing "$long"
printf '{ "CN": "%s", "C": "DE" }\n' "$(printf 'y%.0s' {1..70})" >longcn.json
expect_fail 2 "has 70 characters, more than 64" run --thing t1 --config longcn.json
untouched

# Curves: AWS IoT signs NIST P-256/P-384/P-521 keys only; brainpool is refused before key generation.
expect_fail 2 "AWS IoT does not accept brainpoolP256r1 keys" run --thing t1 --curve brainpoolP256r1
untouched
"$optigactl" -d "$dev" keygen 0xE0F2 --curve brainpoolP384r1 >/dev/null
expect_fail 2 "the key in 0xE0F2 is brainpoolP384r1: AWS IoT does not accept" run --thing t1 --slot 0xE0F2 --reuse-key
[ -z "$("$optigactl" -d "$dev" read 0xE0E2)" ] || fail "0xE0E2 was written"
untouched

# Root CA: readable, a certificate, a CA.
expect_fail 2 "--root-ca /nonexistent/root.pem: cannot read it" run --thing t1 --root-ca /nonexistent/root.pem
echo "not a certificate" >junk.pem
expect_fail 2 "not a certificate openssl can read" run --thing t1 --root-ca junk.pem
expect_fail 2 "not a CA certificate" run --thing t1 --root-ca "$tmp/ca/broker.pem"
untouched

# Azure: the CA certificate must be a CA; the device id follows IoT Hub's rules and the CN bound.
openssl ecparam -name prime256v1 -genkey -noout -out ca_key_pair.pem
openssl req -new -x509 -sha256 -days 30 -key ca_key_pair.pem -subj /CN=Azure_CA_Cert -out ca_cert.cer
openssl req -new -x509 -sha256 -days 30 -key ca_key_pair.pem -subj /CN=leaf -addext basicConstraints=CA:FALSE \
  -out leaf.cer
az() { "$provision" azure --device "$dev" --slot 0xE0F3 --ca-key ca_key_pair.pem "$@"; }
expect_fail 2 "--ca-cert leaf.cer: not a CA certificate" az --device-id d1 --ca-cert leaf.cer
expect_fail 2 "device id 'd 1' is not valid for Azure IoT Hub" az --device-id 'd 1' --ca-cert ca_cert.cer
expect_fail 2 "more than 64" az --device-id "$long" --ca-cert ca_cert.cer
untouched

# Certificates in DER are accepted: the Azure CA (used for signing and verifying) and the AWS
# root CA (the device configuration gets it as PEM).
openssl x509 -in ca_cert.cer -outform DER -out ca_cert.der
az --device-id d1 --ca-cert ca_cert.der --json >az.json 2>az.err || fail "azure with a DER CA: $(cat az.err)"
openssl verify -CAfile ca_cert.cer "$(jq -r .certificate az.json)" >/dev/null || fail "device certificate"
cert_matches_key "$dev" 0xE0F3 0xE0E3
openssl x509 -in "$tmp/ca/ca.pem" -outform DER -out root.der
run --thing t1 --root-ca root.der -q 2>aws.err || fail "aws with a DER root CA: $(cat aws.err)"
cmp <(openssl x509 -in "$OPTIGA_PROVISION_DIR/t1/root-ca.pem" -inform PEM -outform DER) root.der \
  || fail "root-ca.pem of the device configuration is not the root CA in PEM"
cert_matches_key "$dev" 0xE0F1 0xE0E1
echo "PASS provision_checks_first"
