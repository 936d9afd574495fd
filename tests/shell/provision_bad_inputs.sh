#!/usr/bin/env bash
# Bad input gives a clear message and leaves nothing half-done: malformed config, missing
# credentials, thing or policy already existing, a certificate for another key, an occupied slot.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"
dev=$(chip_device chip.state)
untouched() {  # the chip has no key in 0xE0F1 and no certificate in 0xE0E1; AWS holds nothing new
  ! "$optigactl" -d "$dev" pubkey 0xE0F1 >/dev/null 2>&1 || fail "a key was generated"
  [ -z "$("$optigactl" -d "$dev" read 0xE0E1)" ] || fail "0xE0E1 was written"
  [ "$(state_count certificates)" -eq 0 ] || fail "a certificate was created: $(aws_local_state)"
}
run() { "$provision" aws --device "$dev" --root-ca "$tmp/ca/ca.pem" "$@"; }

printf '{ "CN": "x", "O": "y",, }\n' >broken.json
expect_fail "*" "is not valid JSON" run --config broken.json --thing t1
printf '{ "csr_config": { "certificate_info": { "common_name": "x" },
  "key_info": { "parameters": { "curve": "secp999r1" } } } }\n' >badcurve.json
expect_fail "*" "unknown curve 'secp999r1'" run --config badcurve.json --thing t1
expect_fail "*" "no thing name" run
untouched

expect_fail "*" "no AWS credentials" env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY \
  AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent "$provision" aws --device "$dev" --thing t1 \
  --root-ca "$tmp/ca/ca.pem"
untouched

aws --endpoint-url "$AWS_LOCAL_URL" iot create-thing --thing-name taken >/dev/null
expect_fail "*" "thing taken already exists" run --thing taken
aws --endpoint-url "$AWS_LOCAL_URL" iot create-policy --policy-name taken-policy \
  --policy-document '{"Version":"2012-10-17","Statement":[]}' >/dev/null
expect_fail "*" "policy taken-policy already exists" run --thing t2 --policy taken-policy
untouched

# A certificate for another key: the run stops at the chip write (power loss), the certificate
# file is swapped for one certifying another key, and the resumed run refuses to write it.
rc=0; OPTIGA_SIM_FAULTS=powerloss=1 run --thing t3 2>/dev/null || rc=$?
# (power loss also stops key generation: do the key first, then fail the write)
if ! "$optigactl" -d "$dev" pubkey 0xE0F1 >/dev/null 2>&1; then
  aws_local_fail CreateCertificateFromCsr
  run --thing t3 2>/dev/null && fail "expected the injected failure"
  rc=0; OPTIGA_SIM_FAULTS=powerloss=1 run --thing t3 2>/dev/null || rc=$?
  [ "$rc" -ne 0 ] || fail "write with power loss succeeded"
fi
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other.key 2>/dev/null
openssl req -new -x509 -key other.key -subj /CN=other -days 1 -out "$OPTIGA_PROVISION_DIR/t3/certificate.pem"
expect_fail "*" "is for another key than the one in 0xE0F1" run --thing t3
[ -z "$("$optigactl" -d "$dev" read 0xE0E1)" ] || fail "the wrong certificate was written"
run --thing t3 --rollback 2>/dev/null
[ "$(state_count certificates)" -eq 0 ] || fail "rollback left a certificate"

# An occupied slot: 0xE0F1 holds a key now; a new thing on it is refused.
dev2=$(chip_device chip2.state)
"$optigactl" -d "$dev2" keygen 0xE0F2 >/dev/null
expect_fail "*" "key slot 0xE0F2 is occupied" "$provision" aws --device "$dev2" --slot 0xE0F2 --thing t4
[ -z "$("$optigactl" -d "$dev2" read 0xE0E2)" ] || fail "0xE0E2 written"
[ "$(state_count certificates)" -eq 0 ] || fail "certificate created for an occupied slot"
echo "PASS provision_bad_inputs"
