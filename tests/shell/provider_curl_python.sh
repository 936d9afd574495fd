#!/usr/bin/env bash
# docs/openssl.md "curl and Python", as written: Debian's curl (OpenSSL backend) and Python's ssl
# module authenticate to an `openssl s_server` that requires a client certificate, with the chip
# key through the genpkey reference file and the provider loaded through OPENSSL_CONF (neither
# takes a provider URI: curl's --key optiga:0xE0F1 is refused, checked below).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
doc=$root/docs/openssl.md
command -v curl >/dev/null || fail "curl is not installed (scripts/install-deps.sh installs it)"
new_chip chip.state
device=$OPTIGA_DEVICE
unset OPTIGA_DEVICE
spid=
on_exit '[ -z "$spid" ] || kill "$spid"'

doc_block() {  # doc_block HEADING LANG: the first ```LANG block after the line HEADING
  awk -v h="$1" -v f="\`\`\`$2" '$0 == h { s = 1; next } s == 1 && $0 == f { s = 2; next } s == 2 && $0 == "```" { exit } s == 2' "$doc"
}
doc_block "openssl.cnf snippet that loads it for every application (default first, see \"Provider order\"):" ini |
  sed -e "s|^device = i2c:/dev/i2c-1\$|device = $device|" -e "s|^# module = .*|module = $provider_dir/optiga.so|" >openssl-optiga.cnf
grep -q "^device = $device\$" openssl-optiga.cnf || fail "the doc's snippet has no device line"

# A software CA and server; the chip's key with a certificate from that CA (written by the
# documented genpkey line).
OPENSSL_CONF=/dev/null bash -ec '
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=test-ca -days 2 \
    -addext basicConstraints=critical,CA:true
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost
  printf "subjectAltName=IP:127.0.0.1\n" >srv.ext
  openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -extfile srv.ext -out srv.pem -days 2' 2>/dev/null
export OPENSSL_CONF=$tmp/openssl-optiga.cnf
genpkey=$(doc_block "### With the provider in openssl.cnf" sh | grep '^openssl genpkey ')
bash -ec "$genpkey"
openssl req -new -key thing.ref -subj "/CN=chip_client" -out thing.csr
OPENSSL_CONF=/dev/null openssl x509 -req -in thing.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out thing.pem -days 2 2>/dev/null

PORT=$((20000 + RANDOM % 20000))
serve() {  # one-connection s_server requiring a client certificate from the CA; -www reports it
  : >srv.log
  OPENSSL_CONF=/dev/null timeout 60 openssl s_server -accept "127.0.0.1:$PORT" -key srv.key -cert srv.pem -CAfile ca.pem \
    -Verify 2 -verify_return_error -www -naccept 1 >srv.log 2>&1 </dev/null &
  spid=$!
  for _ in $(seq 100); do grep -q ACCEPT srv.log 2>/dev/null && break; sleep 0.1; done
}
stop_server() { kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; spid=; }

# curl: the doc's command line (its port changed to ours).
curl_line=$(doc_block "### curl and Python" sh | grep '^curl ')
[ -n "$curl_line" ] || fail "no curl line in the doc"
serve
bash -ec "timeout 60 ${curl_line//4433/$PORT} -sS -o page.html"
stop_server
grep -q "Subject: CN *= *chip_client" page.html || fail "the server saw no chip client certificate: $(cat page.html srv.log)"
# ... and the provider URI the doc says curl cannot take.
serve
expect_fail '*' "unable to set private key file: 'optiga:0xE0F1'" \
  timeout 60 curl -sS --cacert ca.pem --cert thing.pem --key optiga:0xE0F1 "https://127.0.0.1:$PORT/"
stop_server

# Python: the doc's client, as written (its port changed to ours).
doc_block "### curl and Python" python | sed "s/4433/$PORT/" >client.py
grep -q 'load_cert_chain("thing.pem", "thing.ref")' client.py || fail "the doc's Python client changed"
serve
timeout 60 python3 client.py >py.out
stop_server
grep -q "Subject: CN *= *chip_client" py.out || fail "the server saw no chip client certificate from Python: $(cat py.out srv.log)"
echo OK
