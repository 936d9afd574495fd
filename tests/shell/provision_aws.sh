#!/usr/bin/env bash
# provision aws on a fresh emulated chip against the local AWS IoT service, then mutual TLS to a
# local mosquitto broker with the chip's key: mosquitto_pub with the written device configuration
# (PKCS#11 module through libp11's engine) and openssl s_client through the optiga provider;
# mosquitto_sub receives both messages. The aws-iot-device-client configuration passes the
# client's own checks (tests/services/check_device_client.py).
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"

svc_start_aws "$tmp"
svc_start_broker "$tmp"
dev=$(chip_device chip.state)

# --- provision (the seed's csr_config file gives slot, curve, hash, thing and policy) ----------
cat >config.jsn <<'JSON'
{ "csr_config": { "certificate_info": { "country_name": "DE", "state_or_province_name": "Bayern",
      "organization_name": "Infineon Technologies AG", "common_name": "OPTIGA(TM) Trust IoT" },
    "key_info": { "algorithm_id": "ec", "parameters": { "curve": "secp256r1", "slot": "0xE0F1" } },
    "signature_info": { "algorithm_id": "ecdsa", "parameters": { "hash_alg": "sha256" } } },
  "aws_iot_config": { "thing": "my_thing", "policy": "my_policy" } }
JSON
"$provision" aws --device "$dev" --config config.jsn --root-ca "$tmp/ca/ca.pem" --mqtt-port "$BROKER_PORT" \
  --json >summary.json
jq -e '.status == "done" and .thing == "my_thing" and .policy == "my_policy" and .key_slot == "0xE0F1"
       and .certificate_slot == "0xE0E1" and (.certificateArn | startswith("arn:aws:iot:us-east-1:"))' \
  summary.json >/dev/null || fail "summary: $(cat summary.json)"
cert_matches_key "$dev" 0xE0F1 0xE0E1
cfg=$OPTIGA_PROVISION_DIR/my_thing
jq -e '.status == "done" and (.order | length) == 10' "$cfg/journal.json" >/dev/null || fail "journal not done"
jq -e '."secure-element".enabled == true and ."thing-name" == "my_thing" and .endpoint == "localhost"' \
  "$cfg/aws-iot-device-client.json" >/dev/null || fail "aws-iot-device-client.json"
python3 "$root/tests/services/check_device_client.py" "$cfg/aws-iot-device-client.json" ||
  fail "aws-iot-device-client would refuse its configuration"
# The PIN written for the client logs in to the module (never printed).
pin=$(jq -r '."secure-element"."secure-element-pin"' "$cfg/aws-iot-device-client.json")
OPTIGA_DEVICE=$dev timeout 60 pkcs11-tool --module "$(jq -r '."secure-element"."pkcs11-lib"' "$cfg/aws-iot-device-client.json")" \
  --login --pin "$pin" -O >login.txt 2>&1 || fail "the client's PIN does not log in: $(grep -v -i pin login.txt)"
# The cloud side: thing with the certificate, least-privilege policy on the certificate.
aws --endpoint-url "$AWS_LOCAL_URL" iot list-thing-principals --thing-name my_thing | grep -q "$(jq -r .certificateId summary.json)" \
  || fail "certificate not attached to the thing"
doc=$(aws --endpoint-url "$AWS_LOCAL_URL" iot get-policy --policy-name my_policy --query policyDocument --output text)
grep -q 'client/my_thing' <<<"$doc" || fail "policy does not pin the client id"
! grep -q '"iot:\*"' <<<"$doc" || fail "policy grants iot:*"
# Re-running a finished run changes nothing.
"$provision" aws --device "$dev" --config config.jsn --root-ca "$tmp/ca/ca.pem" 2>rerun.txt
grep -q "\[skip\] attach-policy" rerun.txt || fail "re-run did not skip"
[ "$(state_count certificates)" -eq 1 ] || fail "re-run created another certificate"

# --- an observer subscribes with its own certificate ---------------------------------------------
timeout 120 mosquitto_sub -h localhost -p "$BROKER_PORT" --cafile ca/ca.pem --cert ca/broker.pem \
  --key ca/broker.key -t 'things/my_thing/#' -C 2 -v >received.txt 2>sub.err &
sub_pid=$!
sleep 1

export OPTIGA_DEVICE=$dev

# --- openssl s_client with the chip key through the optiga provider ---------------------------
python3 "$root/tests/services/mqtt_packets.py" my_thing things/my_thing/hello "hello over the provider" >mqtt.bin
(cat mqtt.bin; sleep 2) | timeout 60 openssl s_client -provider-path "$build/ossl_provider" -provider optiga \
  -provider default -key optiga:0xE0F1 -cert "$cfg/certificate.pem" -CAfile ca/ca.pem -verify_return_error \
  -connect "127.0.0.1:$BROKER_PORT" -servername localhost -quiet >s_client.txt 2>&1 || fail "s_client: $(cat s_client.txt)"

# --- mosquitto_pub with the written configuration, as docs/provisioning.md shows -----------------
(cd "$cfg" && set -a && . ./mosquitto.env && set +a && timeout 60 mosquitto_pub -t things/my_thing/hello \
  -m "hello over the engine") >pub.txt 2>&1 || fail "mosquitto_pub with the written configuration: $(cat pub.txt)"

wait "$sub_pid" || fail "mosquitto_sub: $(cat sub.err)"
cat received.txt
grep -qx "things/my_thing/hello hello over the provider" received.txt || fail "provider message not received"
grep -qx "things/my_thing/hello hello over the engine" received.txt || fail "mosquitto_pub message not received"
echo "PASS provision_aws"
