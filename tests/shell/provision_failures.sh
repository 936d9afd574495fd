#!/usr/bin/env bash
# Failure injection at each step: the local service fails one call, or the chip write fails
# (emulated power loss). Each run stops with the journal naming the step; the next run resumes
# there; the last one completes. Then --rollback leaves no thing, certificate or policy.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"
dev=$(chip_device chip.state)
journal=$OPTIGA_PROVISION_DIR/t1/journal.json
run() { "$provision" aws --device "$dev" --thing t1 --root-ca "$tmp/ca/ca.pem" "$@"; }

for step in create-certificate:CreateCertificateFromCsr write-certificate:chip create-thing:CreateThing \
            attach-thing-principal:AttachThingPrincipal create-policy:CreatePolicy attach-policy:AttachPolicy \
            describe-endpoint:DescribeEndpoint; do
  name=${step%%:*} op=${step#*:}
  if [ "$op" = chip ]; then
    rc=0; OPTIGA_SIM_FAULTS=powerloss=1 run 2>err.txt || rc=$?
  else
    aws_local_fail "$op"
    rc=0; run 2>err.txt || rc=$?
  fi
  [ "$rc" -ne 0 ] || fail "run with $op failing succeeded"
  grep -q "step '$name' failed" err.txt || fail "error does not name step $name: $(cat err.txt)"
  [ "$(jq -r .failed.step "$journal")" = "$name" ] || fail "journal does not say it stopped at $name"
  echo "ok: stopped at $name: $(grep -m1 error err.txt)"
  # The chip never holds a certificate that does not match its key.
  if [ -n "$("$optigactl" -d "$dev" read 0xE0E1)" ]; then cert_matches_key "$dev" 0xE0F1 0xE0E1; fi
done
run 2>final.txt
grep -q "\[skip\] attach-policy" final.txt || fail "last run did not resume"
[ "$(jq -r .status "$journal")" = done ] || fail "journal not done"
[ "$(state_count certificates)" -eq 1 ] && [ "$(state_count things)" -eq 1 ] && [ "$(state_count policies)" -eq 1 ] \
  || fail "cloud state after completion: $(aws_local_state)"
cert_matches_key "$dev" 0xE0F1 0xE0E1

# Rollback, with one failure on the way: the rollback itself resumes.
aws_local_fail DeleteThing
! run --rollback 2>rb1.txt || fail "rollback with DeleteThing failing succeeded"
run --rollback 2>rb2.txt || fail "rollback: $(cat rb2.txt)"
for kind in things certificates policies; do
  [ "$(state_count "$kind")" -eq 0 ] || fail "$kind left after rollback: $(aws_local_state)"
done
[ "$(jq -r .status "$journal")" = rolled-back ] || fail "journal status after rollback"
# A new run after the rollback reuses the key and completes.
run >/dev/null 2>again.txt || fail "run after rollback: $(cat again.txt)"
cert_matches_key "$dev" 0xE0F1 0xE0E1
[ "$(state_count certificates)" -eq 1 ] || fail "after re-run"
echo "PASS provision_failures"
