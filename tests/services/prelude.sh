# Common start of the provisioning shell tests (source it after `set -euo pipefail`): the shared
# set-up of every shell test (tests/shell/lib/setup.sh: paths, temp dir, cleanup, assertions),
# the local services (lib.sh, stopped on exit) and the provisioning helpers below.
# shellcheck source=../shell/lib/setup.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../shell/lib" && pwd)/setup.sh"
provision=$root/scripts/provision
# shellcheck source=lib.sh
source "$root/tests/services/lib.sh"
on_exit svc_stop
export OPTIGA_PROVISION_DIR=$tmp/state

# chip_device NAME: a fresh emulated chip in $tmp/NAME; prints its device string.
chip_device() { "$optigactl" sim create "$tmp/$1" >/dev/null; echo "sim:$tmp/$1"; }
# cert_matches_key DEVICE KEYSLOT CERTSLOT: the certificate on the chip certifies the slot's key.
cert_matches_key() {
  "$optigactl" -d "$1" read "$3" --out cert.der
  [ -s cert.der ] || fail "$3 is empty on $1"
  [ "$(openssl x509 -inform DER -in cert.der -noout -pubkey)" = "$("$optigactl" -d "$1" pubkey "$2")" ] \
    || fail "$3 on $1 does not certify the key in $2"
}
# state_count KIND: number of things/certificates/policies in the local AWS service.
state_count() { aws_local_state | python3 -c "import json,sys; print(len(json.load(sys.stdin)['$1']))"; }
