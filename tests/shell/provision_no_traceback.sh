#!/usr/bin/env bash
# No Python traceback reaches a user: unexpected answers from the tools (an aws CLI printing
# no JSON, an optigactl whose JSON lacks a field), an unusable --state-dir and a file that is not
# a journal each end in one clear message and the documented exit status (1), alone and in a
# batch; --json still prints its failure object.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
provision=$root/scripts/provision
export OPTIGA_PROVISION_DIR=$tmp/state AWS_DEFAULT_REGION=us-east-1
printf '#!/bin/sh\necho "this is not JSON"\n' >aws-nojson
printf '#!/bin/sh\necho "{}"\n' >empty-json
chmod +x aws-nojson empty-json
new_chip chip.state
dev=$OPTIGA_DEVICE
python3 "$root/tests/services/testca.py" init ca >/dev/null
run() { "$provision" aws --device "$dev" --root-ca ca/ca.pem "$@"; }
no_traceback() {  # the last expect_fail printed no traceback, only a message (and its hint)
  ! grep -q "Traceback" err.txt || fail "a traceback reached the user: $(cat err.txt)"
  [ -n "${1:-}" ] || [ "$(grep -c . err.txt)" -le 6 ] || fail "more than a message: $(cat err.txt)"
}

AWS_CLI=$tmp/aws-nojson expect_fail 1 "provision aws: error: internal error (JSONDecodeError" run --thing t1
no_traceback
AWS_CLI=$tmp/empty-json OPTIGACTL=$tmp/empty-json expect_fail 1 "internal error (KeyError: 'uid')" run --thing t1
no_traceback
grep -q "hint: this is a bug in provision" err.txt || fail "no hint: $(cat err.txt)"
AWS_CLI=$tmp/empty-json OPTIGACTL=$tmp/empty-json run --thing t1 --json >out.json 2>/dev/null && fail "succeeded"
jq -e '.status == "failed" and .code == "internal"' out.json >/dev/null || fail "--json: $(cat out.json)"

# A batch: each chip's failure is a line of the summary, not a traceback.
AWS_CLI=$tmp/empty-json OPTIGACTL=$tmp/empty-json \
  expect_fail 1 "0 of 2 chips done, 2 failed" run --device "$dev" --thing 'b-{n}'
no_traceback batch
grep -q "FAILED .*internal error (KeyError: 'uid')" err.txt || fail "batch lines: $(cat err.txt)"

# Files: --state-dir is a file; a journal that is not one.
touch not-a-dir
expect_fail 1 "provision aws: error: cannot use" run --thing t1 --state-dir not-a-dir
no_traceback
mkdir -p state/t2 && echo '[1, 2]' >state/t2/journal.json
expect_fail 1 "state/t2/journal.json is not a provisioning journal" run --thing t2
no_traceback
echo "PASS provision_no_traceback"
