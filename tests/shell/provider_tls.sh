#!/usr/bin/env bash
# Provider: mutual TLS 1.3 and 1.2 on 127.0.0.1 with the chip key on the client, then on the
# server, first with the issue's provider order (`-provider optiga -provider default`: our EC key
# manager then serves libssl's groups and ECDHE keys, docs/openssl.md "Provider order"), then
# default first. Each handshake exchanges data (s_server -rev echoes the line reversed).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
spid=
on_exit '[ -z "$spid" ] || kill "$spid"'
new_chip chip.state
PP=(-provider-path "$provider_dir")
ISSUE_ORDER="${PP[*]} -provider optiga -provider default"
DEFAULT_FIRST="${PP[*]} -provider default -provider optiga"
PORT=$((20000 + RANDOM % 20000))

openssl genpkey $ISSUE_ORDER -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=ca -days 2 2>/dev/null
openssl req -new $ISSUE_ORDER -key optiga:0xE0F1 -subj "/CN=localhost" -out chip.csr
openssl x509 -req -in chip.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out chip.pem -days 2 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout soft.key -out soft.csr -subj /CN=localhost 2>/dev/null
openssl x509 -req -in soft.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out soft.pem -days 2 2>/dev/null

n=0
handshake() {  # handshake VERSION SERVER_KEY SERVER_CERT SERVER_PROV CLIENT_KEY CLIENT_CERT CLIENT_PROV
  local v=$1 port=$((PORT + n)); n=$((n + 1))
  : >srv.log  # emptied here, not by the background job: a stale ACCEPT must not pass the wait below
  # shellcheck disable=SC2086  # $4 and $7 are option lists
  timeout 30 openssl s_server $4 -accept "127.0.0.1:$port" -key "$2" -cert "$3" -CAfile ca.pem -Verify 1 \
    -verify_return_error "$v" -naccept 1 -rev >srv.log 2>&1 &
  spid=$!
  for _ in $(seq 100); do grep -q ACCEPT srv.log 2>/dev/null && break; sleep 0.1; done
  # shellcheck disable=SC2086
  (echo hello_optiga; sleep 2) | timeout 20 openssl s_client $7 -connect "127.0.0.1:$port" -key "$5" -cert "$6" \
    -CAfile ca.pem -verify_return_error "$v" >cli.log 2>&1 || true
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; spid=
  grep -q agitpo_olleh cli.log || { echo "FAIL: $v server[$2 $4] client[$5 $7]"; cat cli.log srv.log; exit 1; }
  # The protocol really was the one asked for.
  local want=TLSv1.3; [ "$v" = -tls1_2 ] && want=TLSv1.2
  grep -q "New, $want" cli.log || { echo "FAIL: not $want"; cat cli.log; exit 1; }
}
for order in "$ISSUE_ORDER" "$DEFAULT_FIRST"; do
  for v in -tls1_3 -tls1_2; do
    handshake $v soft.key soft.pem "" optiga:0xE0F1 chip.pem "$order"   # chip key on the client
    handshake $v optiga:0xE0F1 chip.pem "$order" soft.key soft.pem ""   # chip key on the server
  done
done
# TLS 1.2 with both ends using the issue's order: ECDHE keys on both sides come from our key
# manager (software keys in the provider's private library context), the chip signs on one side.
handshake -tls1_2 soft.key soft.pem "$ISSUE_ORDER" optiga:0xE0F1 chip.pem "$ISSUE_ORDER"
echo OK
