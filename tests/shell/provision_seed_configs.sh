#!/usr/bin/env bash
# Both seed configuration formats drive a successful provision aws: the flat {"CN","O","C","ST"}
# file of optiga_generate_csr and the csr_config + aws_iot_config file of optiga.py (here with
# slot 0xE0F2, P-384 and sha384); the certificate subject and the slot follow the file.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"

dev1=$(chip_device chip1.state)
cat >flat.jsn <<'JSON'
{ "CN": "AWS IoT Certificate", "O": "Infineon Technologies AG", "C": "DE", "ST": "Germany" }
JSON
"$provision" aws --device "$dev1" --config flat.jsn --thing flat_thing --root-ca "$tmp/ca/ca.pem" --json >flat.json
jq -e '.status == "done" and .key_slot == "0xE0F1"' flat.json >/dev/null || fail "flat run: $(cat flat.json)"
cert_matches_key "$dev1" 0xE0F1 0xE0E1
openssl x509 -inform DER -in cert.der -noout -subject | grep -q "CN = AWS IoT Certificate" || fail "flat subject"

dev2=$(chip_device chip2.state)
cat >structured.jsn <<'JSON'
{ "csr_config": { "certificate_info": { "country_name": "DE", "state_or_province_name": "Bayern",
      "organization_name": "Infineon Technologies AG", "common_name": "OPTIGA(TM) Trust IoT" },
    "key_info": { "algorithm_id": "ec", "parameters": { "curve": "secp384r1", "slot": "0xE0F2" } },
    "signature_info": { "algorithm_id": "ecdsa", "parameters": { "hash_alg": "sha384" } } },
  "aws_iot_config": { "thing": "seed_thing", "policy": "seed_policy" } }
JSON
"$provision" aws --device "$dev2" --config structured.jsn --root-ca "$tmp/ca/ca.pem" --json >structured.json
jq -e '.status == "done" and .thing == "seed_thing" and .policy == "seed_policy" and .key_slot == "0xE0F2"
       and .certificate_slot == "0xE0E2"' structured.json >/dev/null || fail "structured run: $(cat structured.json)"
cert_matches_key "$dev2" 0xE0F2 0xE0E2
openssl x509 -inform DER -in cert.der -noout -text | grep -q "NIST CURVE: P-384" || fail "not a P-384 key"
openssl req -in "$OPTIGA_PROVISION_DIR/seed_thing/device.csr" -noout -text | grep -q "ecdsa-with-SHA384" \
  || fail "CSR not signed with sha384"
[ "$(state_count things)" -eq 2 ] || fail "expected 2 things"
echo "PASS provision_seed_configs"
