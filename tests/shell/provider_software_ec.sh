#!/usr/bin/env bash
# Provider: loading `optiga` first must not change software EC keys (issue 10 item 9). With
# `-provider optiga -provider default`, with default first, and through an openssl.cnf that
# activates optiga first: req -newkey ec, genpkey -algorithm EC (also encrypted, also a curve no
# chip has), ecparam -genkey; every key is then read, checked and used by a plain openssl (no
# provider). `genpkey -provider optiga` alone without a slot still says the slot is missing.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state
PP=(-provider-path "$provider_dir")

cat >optiga-first.cnf <<CNF
openssl_conf = openssl_init

[openssl_init]
providers = provider_sect

[provider_sect]
optiga = optiga_sect
default = default_sect

[optiga_sect]
activate = 1
module = $provider_dir/optiga.so

[default_sect]
activate = 1
CNF

head -c 500 /dev/urandom >msg
# check KEYFILE: a plain openssl (no provider, no cnf) reads it, finds it valid, signs and verifies.
check() {
  OPENSSL_CONF=/dev/null openssl pkey -in "$1" -passin pass:s3cret -check -noout >/dev/null || fail "$1 is not a valid key"
  OPENSSL_CONF=/dev/null openssl pkey -in "$1" -passin pass:s3cret -pubout -out "$1.pub"
  OPENSSL_CONF=/dev/null openssl dgst -sha256 -sign "$1" -passin pass:s3cret -out "$1.sig" msg
  OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify "$1.pub" -signature "$1.sig" msg | grep -q "Verified OK"
}
run() {  # run NAME OPTIONS... (OPTIONS: the provider options; "cnf" for the openssl.cnf)
  local name=$1 how=$2 o=() env=(OPENSSL_CONF=/dev/null)
  if [ "$how" = cnf ]; then env=(OPENSSL_CONF="$tmp/optiga-first.cnf"); else read -r -a o <<<"$how"; fi
  env "${env[@]}" openssl req "${o[@]}" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.req.key" \
    -subj /CN=soft -out "$name.csr"
  OPENSSL_CONF=/dev/null openssl req -verify -in "$name.csr" -noout 2>&1 | grep -q "verify OK"
  check "$name.req.key"
  env "${env[@]}" openssl genpkey "${o[@]}" -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.gen.key"
  check "$name.gen.key"
  env "${env[@]}" openssl genpkey "${o[@]}" -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -aes256 -pass pass:s3cret \
    -out "$name.enc.key"
  grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$name.enc.key" || fail "$name: -aes256 key not encrypted"
  check "$name.enc.key"
  env "${env[@]}" openssl genpkey "${o[@]}" -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out "$name.k1.key"
  check "$name.k1.key"
  env "${env[@]}" openssl ecparam "${o[@]}" -genkey -name prime256v1 -out "$name.ecparam.key"
  check "$name.ecparam.key"
  # A software key used with the provider loaded: signing, and the key's own text.
  env "${env[@]}" openssl dgst "${o[@]}" -sha384 -sign "$name.k1.key" -out "$name.k1.sig" msg
  OPENSSL_CONF=/dev/null openssl dgst -sha384 -verify "$name.k1.key.pub" -signature "$name.k1.sig" msg | grep -q "Verified OK"
  env "${env[@]}" openssl pkey "${o[@]}" -in "$name.gen.key" -text -noout | grep -q "^priv:"
  echo "ok: $name"
}
run optiga-first "${PP[*]} -provider optiga -provider default"
run default-first "${PP[*]} -provider default -provider optiga"
run cnf cnf

# The chip keys are unaffected, and a slotless genpkey with only optiga loaded is still a mistake.
openssl genpkey "${PP[@]}" -provider optiga -provider default -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref
grep -q "BEGIN OPTIGA KEY REFERENCE" f1.ref
expect_fail '*' "needs the slot" openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256
echo OK
