#!/usr/bin/env bash
# A key made in slot 0xE0F1 gets the same key usage (metadata 0xE1: Auth|Sign|KeyAgree, the
# documented default of core/chip/key_usage.h) whichever front end makes it without asking for a usage:
# pkcs11-tool --keypairgen (PKCS#11 module), openssl genpkey (optiga provider), optigactl keygen,
# and scripts/provision (its keygen step in a real `provision aws` run against the local AWS IoT
# service). PKCS#11 never replaces a key and provision refuses an occupied slot, so the first
# three share one chip (genpkey and optigactl replace the key) and provision gets a fresh one.
# Each tool runs exactly as a user types it: pkcs11-tool's own EC template sets CKA_SIGN and
# CKA_DERIVE (seen with pkcs11-spy), which is why that is the default everywhere.
set -euo pipefail
source "$(dirname "$0")/../services/prelude.sh"
module=$build/pkcs11/optiga-pkcs11.so
[ -f "$module" ] || fail "$module not built"
expected="Auth, Sign, KeyAgree"

# usage_after TOOL DEVICE: the key in 0xE0F1 is new (its public key differs from the last one
# seen) and its metadata says the expected usage; the token's view (pubkey --json) agrees.
last_pub=""
usage_after() {
  local tool=$1 dev=$2 usage pub
  usage=$("$optigactl" -d "$dev" metadata get 0xE0F1 --json | jq -r .key_usage)
  pub=$("$optigactl" -d "$dev" pubkey 0xE0F1 --json | jq -r .public_key_pem)
  [ -n "$pub" ] && [ "$pub" != "$last_pub" ] || fail "$tool did not make a new key in 0xE0F1"
  last_pub=$pub
  [ "$("$optigactl" -d "$dev" pubkey 0xE0F1 --json | jq -r .usage)" = "$usage" ] || fail "$tool: token and metadata disagree"
  echo "ok: $tool -> key usage $usage"
  [ "$usage" = "$expected" ] || fail "$tool made a key with usage '$usage', expected '$expected'"
}

dev=$(chip_device chip.state)
export OPTIGA_DEVICE=$dev

OPTIGA_CONF=/dev/null pkcs11-tool --module "$module" --keypairgen --key-type EC:prime256v1 --id E0F1 >/dev/null
usage_after pkcs11-tool "$dev"

openssl genpkey -provider-path "$build/ossl_provider" -provider optiga -provider default -algorithm EC \
  -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -pkeyopt optiga-replace:yes -out key.ref
usage_after "openssl genpkey" "$dev"

"$optigactl" keygen 0xE0F1 --replace >/dev/null
usage_after "optigactl keygen" "$dev"

svc_start_aws "$tmp"
dev2=$(chip_device chip2.state)
"$provision" aws --device "$dev2" --slot 0xE0F1 --thing usage_thing --root-ca "$tmp/ca/ca.pem" --json >summary.json
jq -e '.status == "done" and .key_slot == "0xE0F1"' summary.json >/dev/null || fail "provision: $(cat summary.json)"
usage_after "provision aws" "$dev2"
echo "PASS key_usage_same_everywhere"
