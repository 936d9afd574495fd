#!/usr/bin/env bash
# Sharing one chip (docs/pkcs11.md, "Sharing the chip"): a long-running signer holds its session
# open and signs every 10 ms for 10 s while 50 pkcs11-tool --sign runs start at once on the same
# emulated chip (one state file, the per-operation cross-process lock). Every signature must
# succeed and verify; the test prints the longest wait a pkcs11-tool run saw.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
signer=$build/tests/tools/optiga_p11_signer
signer_pid=
on_exit '[[ -z $signer_pid ]] || { kill "$signer_pid"; wait "$signer_pid"; }'
new_chip chip.state
# Emulator timing stays on: the modelled chip time is what makes processes wait for each other.
timeout 60 pkcs11-tool --module "$module" --keypairgen --key-type EC:prime256v1 --id E0F1 >/dev/null
timeout 60 pkcs11-tool --module "$module" --read-object --type pubkey --id E0F1 -o pub.der
echo "shared chip" > data

timeout 60 "$signer" "$module" e0f1 10 10 > signer.out 2> signer.err &
signer_pid=$!
sleep 1  # the signer is in its loop before the crowd arrives

runs=50
for i in $(seq "$runs"); do
  (
    start=$(date +%s%N)
    rc=0
    timeout 120 pkcs11-tool --module "$module" --sign --id E0F1 -m ECDSA-SHA256 -i data -o "sig.$i" \
      --signature-format openssl > "out.$i" 2>&1 || rc=$?
    echo "$rc $(( ($(date +%s%N) - start) / 1000000 ))" > "result.$i"
  ) &
done
wait_failed=0
for job in $(jobs -p); do
  [[ $job == "$signer_pid" ]] && continue
  wait "$job" || wait_failed=1
done
[[ $wait_failed == 0 ]]

ok=0
longest=0
for i in $(seq "$runs"); do
  read -r rc ms < "result.$i"
  if [[ $rc != 0 ]]; then echo "run $i failed (rc $rc):"; cat "out.$i"; continue; fi
  openssl dgst -sha256 -verify pub.der -keyform DER -signature "sig.$i" data >/dev/null || { echo "run $i: bad signature"; continue; }
  ok=$((ok + 1))
  (( ms > longest )) && longest=$ms
done

wait "$signer_pid" || { echo "the long-running signer failed:"; cat signer.out signer.err; exit 1; }
signer_pid=
cat signer.out
grep -q "signer: [1-9][0-9]* signatures, 0 failed" signer.out
echo "pkcs11-tool --sign: $ok of $runs succeeded; longest run (start to exit) $longest ms"
[[ $ok == "$runs" ]]
echo "pkcs11 sharing: ok"
