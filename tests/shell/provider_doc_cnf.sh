#!/usr/bin/env bash
# docs/openssl.md as written: its openssl.cnf snippet (device and module path filled in) loaded
# through OPENSSL_CONF, then the commands of "With the provider in openssl.cnf" and the Flows'
# genpkey line, run verbatim: key generation into a slot works with the provider loaded for
# every application.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
doc=$root/docs/openssl.md
new_chip chip.state
device=$OPTIGA_DEVICE
unset OPTIGA_DEVICE  # nothing but the cnf names the chip

# doc_block HEADING LANG: the first ```LANG block after the line HEADING.
doc_block() {
  awk -v h="$1" -v f="\`\`\`$2" '$0 == h { s = 1; next } s == 1 && $0 == f { s = 2; next } s == 2 && $0 == "```" { exit } s == 2' "$doc"
}

doc_block "openssl.cnf snippet that loads it for every application (default first, see \"Provider order\"):" ini >snippet.cnf
grep -q '^device = i2c:/dev/i2c-1$' snippet.cnf || fail "the snippet changed: $(cat snippet.cnf)"
sed -e "s|^device = i2c:/dev/i2c-1\$|device = $device|" \
    -e "s|^# module = .*|module = $provider_dir/optiga.so|" snippet.cnf >openssl-optiga.cnf

doc_block "### With the provider in openssl.cnf" sh >cnf_flow.sh
grep -q "optiga-slot:0xE0F1" cnf_flow.sh || fail "no genpkey in the doc's block: $(cat cnf_flow.sh)"
sed -i "s|^export OPENSSL_CONF=/etc/ssl/openssl-optiga.cnf|export OPENSSL_CONF=$tmp/openssl-optiga.cnf|" cnf_flow.sh
bash -euo pipefail -x cnf_flow.sh
openssl req -verify -in thing.csr -noout 2>&1 | grep -q "verify OK"
cmp <(OPENSSL_CONF=$tmp/openssl-optiga.cnf openssl pkey -in existing.ref -pubout) thing.pub.pem

# The Flows' genpkey line, as written, under the same configuration (into another slot).
line=$(doc_block "## Flows" sh | grep '^openssl genpkey ')
[ -n "$line" ] || fail "no genpkey line in Flows"
OPENSSL_CONF=$tmp/openssl-optiga.cnf P="-provider optiga" \
  bash -euo pipefail -xc "${line//0xE0F1/0xE0F2} -pkeyopt optiga-replace:yes"
OPENSSL_CONF=$tmp/openssl-optiga.cnf openssl pkey -in optiga:0xE0F2 -pubout | cmp - <(OPENSSL_CONF=$tmp/openssl-optiga.cnf openssl pkey -in thing.ref -pubout)
echo OK
