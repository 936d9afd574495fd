#!/usr/bin/env bash
# provision azure: device certificate (CN = device id) for the chip key signed by the customer's
# CA, the verification certificate for a code, a server root CA as trust anchor in 0xE0E8, the
# connection string; then TLS with the chip key to an openssl s_server that trusts the CA.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
dev=$(chip_device chip.state)
# The customer's CA, as in the seed (ecparam P-256, self-signed).
openssl ecparam -name prime256v1 -genkey -noout -out ca_key_pair.pem
openssl req -new -x509 -sha256 -days 365 -key ca_key_pair.pem -subj /CN=Azure_CA_Cert -out ca_cert.cer
python3 "$root/tests/services/testca.py" init server-ca >/dev/null
python3 "$root/tests/services/testca.py" server server-ca hub >/dev/null

"$provision" azure --device "$dev" --device-id my-device --ca-cert ca_cert.cer --ca-key ca_key_pair.pem \
  --verification-code 0123456789ABCDEF --server-root-ca server-ca/ca.pem --hub myhub.azure-devices.net --json >az.json
jq -e '.status == "done" and .connection_string == "HostName=myhub.azure-devices.net;DeviceId=my-device;x509=true"
       and .trust_anchor == "0xE0E8"' az.json >/dev/null || fail "summary: $(cat az.json)"
cert=$(jq -r .certificate az.json)
openssl verify -CAfile ca_cert.cer "$cert" || fail "device certificate does not verify"
openssl x509 -in "$cert" -noout -subject | grep -q "CN = my-device" || fail "CN is not the device id"
cert_matches_key "$dev" 0xE0F1 0xE0E1
ver=$(jq -r .verification_certificate az.json)
openssl verify -CAfile ca_cert.cer "$ver" || fail "verification certificate does not verify"
openssl x509 -in "$ver" -noout -subject | grep -q "CN = 0123456789ABCDEF" || fail "verification CN"
"$optigactl" -d "$dev" read 0xE0E8 --out ta.der
cmp <(openssl x509 -in server-ca/ca.pem -outform DER) ta.der || fail "trust anchor differs"

# TLS with the chip key to a server that requires a client certificate from the customer's CA.
port=$(svc_free_port)
timeout 60 openssl s_server -accept "127.0.0.1:$port" -cert server-ca/hub.pem -key server-ca/hub.key \
  -CAfile ca_cert.cer -Verify 1 -verify_return_error -naccept 1 -rev >server.txt 2>&1 &
SVC_PIDS+=("$!")
sleep 1
echo "hello azure" | OPTIGA_DEVICE=$dev timeout 60 openssl s_client -provider-path "$build/ossl_provider" -provider optiga \
  -provider default -key optiga:0xE0F1 -cert "$cert" -CAfile server-ca/ca.pem -verify_return_error \
  -connect "127.0.0.1:$port" -servername localhost -quiet >client.txt 2>&1 || true
# s_server -naccept 1 closes without close_notify, so s_client's exit code says nothing: the
# reversed line coming back is the proof the mutual-TLS session carried data.
grep -q "eruza olleh" client.txt || fail "no answer over TLS: $(cat client.txt server.txt)"
echo "PASS provision_azure"
