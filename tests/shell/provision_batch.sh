#!/usr/bin/env bash
# Batch over 5 emulated chips: 5 things registered, 5 certificates on 5 chips, each connects to
# the broker with its own chip key; then fleet mode registers the factory certificates (0xE0E0)
# without a CA, and --rollback removes them.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
svc_start_aws "$tmp"
svc_start_broker "$tmp"
devs=()
for i in 1 2 3 4 5; do devs+=(--device "$(chip_device "chip$i.state")"); done

"$provision" aws "${devs[@]}" --thing 'sensor-{n}' --root-ca "$tmp/ca/ca.pem" --mqtt-port "$BROKER_PORT" \
  --json >batch.json 2>progress.txt
cat progress.txt
[ "$(grep -c '^\[[1-5]/5\] ok ' progress.txt)" -eq 5 ] || fail "expected 5 progress lines"
grep -q "5 of 5 chips done, 0 failed" progress.txt || fail "summary table"
[ "$(state_count things)" -eq 5 ] || fail "5 things"
for i in 1 2 3 4 5; do
  cert_matches_key "sim:$tmp/chip$i.state" 0xE0F1 0xE0E1
  python3 "$root/tests/services/mqtt_packets.py" "sensor-$i" "things/sensor-$i/up" "from $i" >mqtt.bin
  (cat mqtt.bin; sleep 1) | OPTIGA_DEVICE="sim:$tmp/chip$i.state" timeout 60 openssl s_client \
    -provider-path "$build/ossl_provider" -provider optiga -provider default -key optiga:0xE0F1 \
    -cert "$OPTIGA_PROVISION_DIR/sensor-$i/certificate.pem" -CAfile ca/ca.pem -verify_return_error \
    -connect "127.0.0.1:$BROKER_PORT" -quiet >/dev/null 2>s.err || fail "chip $i cannot connect: $(cat s.err)"
done
grep -c "New client connected" mosquitto.log || true

"$provision" fleet "${devs[@]}" --thing 'factory-{n}' --root-ca "$tmp/ca/ca.pem" --json >fleet.json 2>fleet.txt || fail "fleet: $(cat fleet.txt)"
[ "$(jq '[.chips[] | select(.status == "done")] | length' fleet.json)" -eq 5 ] || fail "fleet: $(cat fleet.txt)"
[ "$(state_count certificates)" -eq 10 ] || fail "10 certificates expected: $(aws_local_state)"
"$provision" fleet "${devs[@]}" --thing 'factory-{n}' --rollback 2>/dev/null
[ "$(state_count certificates)" -eq 5 ] && [ "$(state_count things)" -eq 5 ] || fail "fleet rollback"
echo "PASS provision_batch"
