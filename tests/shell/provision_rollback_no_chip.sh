#!/usr/bin/env bash
# The journal holds what a run used and what it must undo. A key replaced behind the journal's
# back is refused, and --reuse-key takes it when nothing in the cloud depends on the old one.
# --rollback needs no chip: with the emulator gone it still undoes the cloud side (thing found
# through the journal even for a {uid} template) and says what it could not check on the chip.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"
dev=$(chip_device chip.state)
run() { "$provision" aws --device "$dev" --thing 'r-{uid}' --root-ca "$tmp/ca/ca.pem" "$@"; }

# A run that stops after the key and CSR (AWS fails), then the key is replaced.
aws_local_fail CreateCertificateFromCsr
! run 2>/dev/null || fail "the injected failure did not stop the run"
journal=$(echo "$OPTIGA_PROVISION_DIR"/r-*/journal.json)
[ "$(jq -r .failed.step "$journal")" = create-certificate ] || fail "journal: $(cat "$journal")"
"$optigactl" -d "$dev" keygen 0xE0F1 --replace >/dev/null 2>&1
expect_fail 1 "the key in 0xE0F1 (label E0F1) is not the one this journal recorded" run
grep -qF -- "re-run with --reuse-key" err.txt || fail "no way forward offered: $(cat err.txt)"

# --reuse-key: AWS holds nothing for the recorded key, so the run goes on with the new one; it
# stops again at create-thing, with the certificate for the new key on the chip.
aws_local_fail CreateThing
! run --reuse-key 2>reuse.txt || fail "the injected failure did not stop the run"
grep -q "step 'create-thing' failed" reuse.txt || fail "reuse run: $(cat reuse.txt)"
cert_matches_key "$dev" 0xE0F1 0xE0E1
[ "$(jq -r .steps.keygen.result.publicKey "$journal")" = "$("$optigactl" -d "$dev" pubkey 0xE0F1)" ] \
  || fail "the journal does not record the key now in 0xE0F1"
# Now AWS holds a certificate for that key: replacing the key again is refused, even with --reuse-key.
cp chip.state chip.keep
"$optigactl" -d "$dev" keygen 0xE0F1 --replace >/dev/null 2>&1
expect_fail 1 "the cloud holds this journal's certificate" run --reuse-key
mv chip.keep chip.state

# The emulator is gone. Rollback finds the {uid} template's thing through the journal (the chip
# cannot say its UID) and undoes the cloud side; an injected failure stops it at the certificate.
mv chip.state chip.gone
aws_local_fail UpdateCertificate
expect_fail 1 "aws iot update-certificate" "$provision" aws --device "$dev" --thing 'r-{uid}' --rollback
# The rollback resumes with OPTIGA_DEVICE pointing nowhere and no --device: the journal has the rest.
thing=$(basename "$(dirname "$journal")")
OPTIGA_DEVICE=sim:$tmp/nowhere "$provision" aws --thing "$thing" --rollback --json >rb.json 2>rb.txt \
  || fail "rollback: $(cat rb.txt)"
[ "$(state_count certificates)" -eq 0 ] && [ "$(state_count things)" -eq 0 ] || fail "left: $(aws_local_state)"
jq -e '.status == "rolled-back" and .chip_reached == false' rb.json >/dev/null || fail "summary: $(cat rb.json)"
grep -q "could not be reached.*0xE0E1 may still hold the deleted certificate" rb.txt || fail "chip note: $(cat rb.txt)"
[ "$(jq -r .status "$journal")" = rolled-back ] || fail "journal status"
env -u OPTIGA_DEVICE "$provision" aws --thing "$thing" --rollback 2>rb3.txt || fail "rollback without a device: $(cat rb3.txt)"
echo "PASS provision_rollback_no_chip"
