#!/usr/bin/env bash
# Provider: TLS 1.3 whose key share is P-256 or P-384 (`-groups`), in both provider orders, with
# software keys only and with the chip key on either side; then CMS enveloped data to the chip's
# certificate (ECDH key agreement recipient) decrypted with `-inkey optiga:0xE0F1` in both
# orders (issue 10 item 8). With `optiga` first, libssl's ephemeral keys come from our key
# manager; the client copies its key's parameters and sets the server's point on the copy,
# which needs a key-parameters-only EVP_PKEY_copy_parameters (km_dup honouring its selection).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
spid=
on_exit '[ -z "$spid" ] || kill "$spid"'
new_chip chip.state
PP=(-provider-path "$provider_dir")
OPTIGA_FIRST="${PP[*]} -provider optiga -provider default"
DEFAULT_FIRST="${PP[*]} -provider default -provider optiga"
PORT=$((20000 + RANDOM % 20000))

openssl genpkey $OPTIGA_FIRST -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=ca -days 2 2>/dev/null
openssl req -new $OPTIGA_FIRST -key optiga:0xE0F1 -subj "/CN=localhost" -out chip.csr
openssl x509 -req -in chip.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out chip.pem -days 2 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout soft.key -out soft.csr -subj /CN=localhost 2>/dev/null
openssl x509 -req -in soft.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out soft.pem -days 2 2>/dev/null

n=0
handshake() {  # handshake GROUP SERVER_KEY SERVER_CERT SERVER_PROV CLIENT_KEY CLIENT_CERT CLIENT_PROV
  local g=$1 port=$((PORT + n)); n=$((n + 1))
  : >srv.log
  # shellcheck disable=SC2086  # $4 and $7 are option lists
  timeout 30 openssl s_server $4 -accept "127.0.0.1:$port" -key "$2" -cert "$3" -CAfile ca.pem -Verify 1 \
    -verify_return_error -tls1_3 -groups "$g" -naccept 1 -rev >srv.log 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -q ACCEPT srv.log 2>/dev/null && break; sleep 0.1; done
  # shellcheck disable=SC2086
  (echo hello_optiga; sleep 1) | timeout 20 openssl s_client $7 -connect "127.0.0.1:$port" -key "$5" -cert "$6" \
    -CAfile ca.pem -verify_return_error -tls1_3 -groups "$g" >cli.log 2>&1 || true
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; spid=
  grep -q agitpo_olleh cli.log || { echo "FAIL: $g server[$2 $4] client[$5 $7]"; cat cli.log srv.log; exit 1; }
  grep -q "New, TLSv1.3" cli.log || { echo "FAIL: not TLSv1.3"; cat cli.log; exit 1; }
  # The key share really was the group asked for.
  grep -Eq "Server Temp Key: ECDH, (P-256|prime256v1|P-384|secp384r1)" cli.log || { echo "FAIL: no EC key share"; cat cli.log; exit 1; }
  echo "ok: $g server[$2] client[$5] ${7:+client providers: ${7#"${PP[*]} "}}"
}
for order in "$OPTIGA_FIRST" "$DEFAULT_FIRST"; do
  for g in P-256 P-384; do
    handshake $g soft.key soft.pem "" soft.key soft.pem "$order"            # software keys only
    handshake $g soft.key soft.pem "" optiga:0xE0F1 chip.pem "$order"       # chip key on the client
  done
  handshake P-256 optiga:0xE0F1 chip.pem "$order" soft.key soft.pem ""      # chip key on the server
done

# CMS: encrypted in software to the chip's certificate, decrypted by the chip (ECDH + KDF + key wrap).
echo "for the chip only" >plain.txt
openssl cms -encrypt -binary -aes256 -recip chip.pem -in plain.txt -out env.cms
for order in "$OPTIGA_FIRST" "$DEFAULT_FIRST"; do
  # shellcheck disable=SC2086
  openssl cms -decrypt -binary $order -inkey optiga:0xE0F1 -recip chip.pem -in env.cms -out out.txt
  cmp plain.txt out.txt || fail "cms -decrypt [$order] gave other bytes"
done
echo OK
