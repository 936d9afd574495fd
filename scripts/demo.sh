#!/usr/bin/env bash
# The main job, end to end, with no AWS account: a fresh emulated OPTIGA chip is personalised for
# AWS IoT by scripts/provision against a local AWS IoT control-plane service (real aws CLI,
# certificates from a local test CA), then publishes over mutual TLS with its chip-held key to a
# local mosquitto broker standing in for the data endpoint; a subscriber receives the message.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
# Build (or bring the build up to date: a no-op when nothing changed).
"$root/scripts/build.sh" release >/dev/null
export OPTIGA_BUILD_DIR=${OPTIGA_BUILD_DIR:-$root/build}
optigactl=$OPTIGA_BUILD_DIR/tools/optigactl/optigactl
source "$root/tests/services/lib.sh"
work=$(mktemp -d)
trap 'svc_stop; rm -rf "$work"' EXIT
cd "$work"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "1. a fresh emulated chip"
"$optigactl" sim create chip.state
export OPTIGA_DEVICE=sim:$work/chip.state

step "2. local services on 127.0.0.1: AWS IoT control plane and an MQTT broker (TLS, client certificates required)"
svc_start_aws "$work"
svc_start_broker "$work"
echo "AWS IoT API: $AWS_LOCAL_URL    MQTT broker: 127.0.0.1:$BROKER_PORT    aws CLI: ${AWS_CLI:-aws}"

step "3. provision aws: key in 0xE0F1, CSR signed by the chip, certificate, thing, least-privilege policy"
"$root/scripts/provision" aws --thing demo-thing --root-ca "$work/ca/ca.pem" --mqtt-port "$BROKER_PORT" \
  --state-dir "$work/state"
cfg=$work/state/demo-thing

step "4. what the chip holds now"
"$optigactl" read 0xE0E1 --out cert.der >/dev/null
openssl x509 -inform DER -in cert.der -noout -subject -issuer
if [ "$(openssl x509 -inform DER -in cert.der -noout -pubkey)" != "$("$optigactl" pubkey 0xE0F1)" ]; then
  echo "the certificate in 0xE0E1 is not for the key in 0xE0F1" >&2
  exit 1
fi
echo "certificate public key == chip key in 0xE0F1: yes"

step "5. publish over mutual TLS with the chip key (openssl s_client + the optiga provider)"
timeout 60 mosquitto_sub -h localhost -p "$BROKER_PORT" --cafile ca/ca.pem --cert ca/broker.pem \
  --key ca/broker.key -t 'things/demo-thing/#' -C 1 -v >received.txt &
sub=$!
sleep 1
python3 "$root/tests/services/mqtt_packets.py" demo-thing things/demo-thing/hello \
  "hello from an OPTIGA key that never left the chip" >mqtt.bin
(cat mqtt.bin; sleep 2) | timeout 60 openssl s_client -provider-path "$OPTIGA_BUILD_DIR/ossl_provider" \
  -provider optiga -provider default -key optiga:0xE0F1 -cert "$cfg/certificate.pem" -CAfile ca/ca.pem \
  -verify_return_error -connect "127.0.0.1:$BROKER_PORT" -servername localhost -quiet >/dev/null
wait "$sub"
step "6. received by the subscriber"
cat received.txt
echo
echo "Device configuration written by provision (aws-iot-device-client, mosquitto, OpenSSL engine):"
ls "$cfg"
