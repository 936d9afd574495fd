#!/usr/bin/env bash
# Provider loaded for every application through openssl.cnf (the docs/openssl.md snippet, with
# the device as a provider parameter): `openssl req` uses optiga:0xE0F1 with no -provider option,
# and client-authenticated TLS never touches the chip to verify a certificate chain.
#
# Proof by the emulator's counters (hal/sim/sim_counters.h has totals only, no per-command
# counts, so we count APDUs around each flow; the chip is used by nothing else meanwhile):
#   1. a handshake where both ends use software keys (both processes load the provider and
#      verify the peer's chain, client -> intermediate -> root) sends 0 APDUs;
#   2. a client with the chip key doing 1 full handshake sends A1 APDUs (open, key read, sign);
#      the same client doing 6 full handshakes in one process (-reconnect, the server keeps no
#      session so each is a full client-authenticated handshake) sends exactly A1 + 5: each
#      further handshake costs one APDU, which must be the signing command (CalcSign) since
#      a signature cannot be made without one, so no object read and nothing else after the first.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
spid=
on_exit '[ -z "$spid" ] || kill "$spid"'
COUNTERS="$build/tests/tools/optiga_sim_counters"
start_emulator chip.state

# Nothing but the cnf names the chip: no $OPTIGA_DEVICE, no -provider options from here on.
unset OPTIGA_DEVICE OPTIGA_CONF
cat >openssl.cnf <<CNF
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect

[provider_sect]
default = default_sect
optiga = optiga_sect

[default_sect]
activate = 1

[optiga_sect]
activate = 1
module = $build/ossl_provider/optiga.so
device = sim+unix:$tmp/chip.state.sock
CNF
apdus() { "$COUNTERS" "$tmp/chip.state.sock" | awk '$1 == "apdus" { print $2 }'; }

# Software CA chain (root -> intermediate) and software keys, with the provider NOT loaded.
OPENSSL_CONF=/dev/null bash -c '
  set -e
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -subj /CN=root -days 2 -addext basicConstraints=critical,CA:true
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout int.key -out int.csr -subj /CN=intermediate
  printf "basicConstraints=critical,CA:true\nkeyUsage=keyCertSign\n" >ca.ext
  openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial -extfile ca.ext -out int.pem -days 2
  for n in srv cli; do
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout $n.key -out $n.csr -subj /CN=localhost
    openssl x509 -req -in $n.csr -CA int.pem -CAkey int.key -CAcreateserial -out $n.pem -days 2
  done' 2>/dev/null
export OPENSSL_CONF="$tmp/openssl.cnf"

# The provider is active with no -provider option.
openssl list -providers | grep -q optiga
openssl genpkey -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -propquery provider=optiga -out f1.ref
openssl req -new -key optiga:0xE0F1 -subj "/CN=cnf_thing" -out x.csr
openssl req -verify -in x.csr -noout 2>&1 | grep -q "verify OK"
OPENSSL_CONF=/dev/null openssl x509 -req -in x.csr -CA int.pem -CAkey int.key -CAcreateserial -out chip.pem -days 2 2>/dev/null
cat int.pem root.pem >chain.pem

PORT=$((20000 + RANDOM % 20000)); n=0
serve() {  # serve NACCEPT: a software-key server that requires a client certificate and keeps no session
  # (-rev: s_server then never reads its stdin, whose EOF would otherwise end it mid-handshake)
  local port=$((PORT + n)); n=$((n + 1)); SPORT=$port
  : >srv.log  # emptied here, not by the background job: a stale ACCEPT must not pass the wait below
  timeout 60 openssl s_server -accept "127.0.0.1:$port" -key srv.key -cert srv.pem -cert_chain int.pem -CAfile root.pem \
    -Verify 3 -verify_return_error -tls1_2 -no_cache -no_ticket -naccept "$1" -rev >srv.log 2>&1 </dev/null &
  spid=$!
  for _ in $(seq 100); do grep -q ACCEPT srv.log 2>/dev/null && break; sleep 0.1; done
}
stop_server() { kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; spid=; }
client() {  # client KEY CERT [extra s_client options]
  local key=$1 cert=$2; shift 2
  timeout 60 openssl s_client -connect "127.0.0.1:$SPORT" -key "$key" -cert "$cert" -cert_chain int.pem -CAfile root.pem \
    -verify_return_error -tls1_2 "$@" </dev/null >cli.log 2>&1 || true
  grep -q "Verify return code: 0 (ok)" cli.log || { cat cli.log srv.log; exit 1; }
}

# 1. Software keys at both ends, provider loaded in both, chains verified both ways: no APDU.
before=$(apdus)
serve 1; client cli.key cli.pem; stop_server
after=$(apdus)
[ "$after" = "$before" ] || { echo "software-only handshake sent $((after - before)) APDUs to the chip"; exit 1; }

# 2. Chip key on the client: one handshake, then six in one process.
before=$(apdus)
serve 1; client optiga:0xE0F1 chip.pem; stop_server
a1=$(( $(apdus) - before ))
before=$(apdus)
serve 6; client optiga:0xE0F1 chip.pem -reconnect; stop_server
a6=$(( $(apdus) - before ))
# -reconnect really made 6 full handshakes (no resumption: the server keeps no session).
[ "$(grep -c '^New, ' cli.log)" = 6 ] || { echo "expected 6 full handshakes"; grep -vE "^    |^[A-Za-z0-9+/=]*$" cli.log srv.log; exit 1; }
[ "$a1" -ge 2 ] || { echo "first handshake: $a1 APDUs, expected the key read and a signature"; exit 1; }
[ "$a6" = $((a1 + 5)) ] || { echo "6 handshakes: $a6 APDUs, 1 handshake: $a1; expected exactly one command per extra handshake"; exit 1; }
echo "APDUs: software-only handshake 0, first chip handshake $a1, each further handshake 1 (6 handshakes: $a6)"
echo OK
