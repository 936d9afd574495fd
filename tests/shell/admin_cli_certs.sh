#!/usr/bin/env bash
# optigactl's certificate and key commands as docs/admin-cli.md shows them: cert read/write/check,
# keygen --replace, pubkey, their --json answers, and every documented exit code with the reason
# word of the --json error object (0 ok, 1 refused, 2 usage, 3 no chip).
set -euo pipefail

source "$(dirname "$0")/lib/setup.sh"
ctl() { "$optigactl" "$@"; }
# expect CODE REASON CMD...: `optigactl --json CMD` exits CODE and its JSON error object (stdout)
# says REASON and the same code.
expect() {
  local code=$1 reason=$2 rc=0
  shift 2
  "$optigactl" --json "$@" >out.json 2>err.txt || rc=$?
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code (stderr: $(cat err.txt))"
  jq -e --arg r "$reason" --argjson c "$code" '.error.reason == $r and .error.exit_code == $c and (.error.message | length) > 0' \
    out.json >/dev/null || fail "'$*': error object $(cat out.json), expected reason $reason"
  [ -s err.txt ] || fail "'$*': no message on stderr"
  echo "ok: '$*' -> exit $rc ($reason): $(head -1 err.txt)"
}

ctl sim create chip.state >/dev/null
export OPTIGA_DEVICE=sim:$tmp/chip.state

# A certificate authority and certificates for chosen public keys (-force_pubkey: the CA signs
# whatever key it is given, as a cloud CA does for the chip's CSR).
openssl ecparam -name prime256v1 -genkey -noout -out ca.key
openssl req -new -x509 -key ca.key -subj /CN=test-ca -days 2 -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out other.key
openssl req -new -key other.key -subj /CN=csr -out any.csr
cert_for() {  # cert_for PUBKEY.pem OUT.pem [EXTFILE]
  openssl x509 -req -in any.csr -force_pubkey "$1" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    ${3:+-extfile "$3"} -out "$2" 2>/dev/null
}

# --- keygen: the default key usage, an occupied slot refused, --replace --------------------------
ctl keygen 0xE0F1 --json >k1.json
jq -e '.oid == "0xE0F1" and .curve == "P-256" and .usage == "Auth, Sign, KeyAgree" and .label == "E0F1"
       and .public_key_object == "0xF1D1" and .store_error == "" and .replaced == false
       and .certificate_slot == "0xE0E1" and .certificate_matches == null
       and (.public_key_pem | startswith("-----BEGIN PUBLIC KEY-----"))' k1.json >/dev/null || fail "keygen --json: $(cat k1.json)"
jq -j .public_key_pem k1.json >k1.pem
ctl metadata get 0xE0F1 --json | jq -e '.key_usage == "Auth, Sign, KeyAgree" and .algorithm == "P-256"' >/dev/null \
  || fail "metadata get --json key usage"
ctl pubkey 0xE0F1 --json | jq -e --rawfile pem k1.pem '.public_key_pem == $pem and .usage == "Auth, Sign, KeyAgree" and .label == "E0F1"' \
  >/dev/null || fail "pubkey --json differs from keygen"
expect 1 slot_occupied keygen 0xE0F1
grep -qF -- "--replace" err.txt || fail "occupied-slot refusal does not name --replace"
cmp <(ctl pubkey 0xE0F1) k1.pem || fail "a refused keygen changed the key"
expect 1 slot_locked keygen 0xE0F0 --replace   # the emulated factory key is locked (change NEV)
ctl keygen 0xE0F3 --usage keyagree --json | jq -e '.usage == "KeyAgree"' >/dev/null || fail "keygen --usage keyagree"

# --- cert write / read / check -----------------------------------------------------------------
cert_for k1.pem k1-cert.pem
openssl x509 -in k1-cert.pem -outform DER -out k1-cert.der
ctl cert write 0xE0F1 --in k1-cert.pem --json >w.json   # a key slot names its paired slot
jq -e '.slot == "0xE0E1" and .key_slot == "0xE0F1" and .matches_key == true and .size > 0' w.json >/dev/null \
  || fail "cert write --json: $(cat w.json)"
ctl cert read 0xE0E1 --out back.der
cmp k1-cert.der back.der || fail "cert read --out is not the written DER"
ctl cert read 0xE0F1 --out back.pem --pem
cmp k1-cert.pem back.pem || fail "cert read --pem differs"
cmp <(ctl cert read 0xE0E1) k1-cert.pem || fail "cert read to stdout is not the PEM"
ctl cert read 0xE0F1 --json | jq -e '.slot == "0xE0E1" and .key_slot == "0xE0F1" and .trust_anchor == false
  and .chain_length == 1' >/dev/null || fail "cert read --json"
ctl cert check 0xE0F1 | grep -q "certifies the key in 0xE0F1" || fail "cert check text"
ctl cert check 0xE0E1 --json | jq -e '.match == true and .key == true and .certificate == true
  and .key_slot == "0xE0F1" and .certificate_slot == "0xE0E1" and .reason == null' >/dev/null || fail "cert check --json"
ctl cert write 0xE0E1 --in k1-cert.der >/dev/null   # DER works as well as PEM

# The factory certificate is stored as a 0xC0 chain; cert read gives the certificate alone.
ctl cert read 0xE0F0 --out factory.der
openssl x509 -inform DER -in factory.der -noout -subject >/dev/null || fail "factory certificate is not DER X.509"
ctl cert check 0xE0F0 >/dev/null || fail "the factory certificate does not certify 0xE0F0"

# Refusals: another key's certificate, too large, not a certificate; nothing changes.
openssl ec -in other.key -pubout -out other.pem 2>/dev/null
cert_for other.pem other-cert.pem
expect 1 wrong_key cert write 0xE0F1 --in other-cert.pem
san=$(python3 -c 'print(",".join("DNS:host%d.example.com" % i for i in range(100)))')
echo "subjectAltName=$san" >big.ext
cert_for k1.pem big.pem big.ext
expect 1 does_not_fit cert write 0xE0E1 --in big.pem
echo "not a certificate" >junk.der
expect 2 not_a_certificate cert write 0xE0E1 --in junk.der
cmp <(ctl cert read 0xE0E1) k1-cert.pem || fail "a refused write changed 0xE0E1"

# --- keygen --replace: the paired certificate no longer matches, and both say so --------------------
ctl keygen 0xE0F1 --replace --json >k2.json 2>k2.err
jq -e '.replaced == true and .certificate_slot == "0xE0E1" and .certificate_matches == false' k2.json >/dev/null \
  || fail "keygen --replace --json: $(cat k2.json)"
grep -q "0xE0E1 is for the old key and no longer matches" k2.err || fail "keygen --replace: no warning: $(cat k2.err)"
! cmp -s <(jq -j .public_key_pem k2.json) k1.pem || fail "--replace kept the old key"
rc=0; ctl cert check 0xE0F1 --json >c.json 2>/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "cert check after --replace exited $rc"
jq -e '.match == false and .key == true and .certificate == true and .reason == "mismatch"' c.json >/dev/null \
  || fail "cert check --json after --replace: $(cat c.json)"

# --- trust anchors ---------------------------------------------------------------------------------
ctl cert write 0xE0E8 --in ca.pem --json | jq -e '.slot == "0xE0E8" and .key_slot == null' >/dev/null || fail "trust anchor write"
ctl cert read 0xE0E8 --json | jq -e '.trust_anchor == true' >/dev/null || fail "trust anchor read"
cmp <(ctl cert read 0xE0E8) ca.pem || fail "trust anchor differs"

# --- every exit code ----------------------------------------------------------------------------
ctl pubkey 0xE0F1 >/dev/null                        # 0
expect 1 no_key pubkey 0xE0F2
expect 1 no_certificate cert read 0xE0E2
rc=0; ctl cert check 0xE0F2 --json >c2.json 2>/dev/null || rc=$?
[ "$rc" -eq 1 ] && jq -e '.reason == "no_key" and .key == false' c2.json >/dev/null || fail "cert check of an empty slot"
expect 1 chip_error write 0xE0E0 --raw --hex 00      # the chip's own refusal (change NEV); --raw: not a certificate
jq -e '.error.chip_error == "0x07"' out.json >/dev/null || fail "chip error code not in the JSON error"
expect 2 not_a_slot cert read 0xF1D4
expect 2 wrong_slot_kind pubkey 0xE0E1
expect 2 no_paired_key cert check 0xE0E8
expect 2 usage read 0xZZ
rc=0; ctl keygen >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "a missing argument exited $rc, expected 2"
rc=0; ctl cert >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "cert without a subcommand exited $rc, expected 2"
expect 3 no_device --device "sim:$tmp/none.state" cert read 0xE0E1
echo "admin_cli_certs: all checks passed"
