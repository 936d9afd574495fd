# Common start of the provisioning shell tests (source it after `set -euo pipefail`):
# paths, a temp dir removed on exit, servers stopped on exit, and small assertion helpers.
root=${OPTIGA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build=${OPTIGA_BUILD_DIR:-$root/build}
export OPTIGA_BUILD_DIR=$build
optigactl=$build/tools/optigactl/optigactl
provision=$root/scripts/provision
[ -x "$optigactl" ] || { echo "$(basename "$0"): $optigactl not built" >&2; exit 1; }
# shellcheck source=lib.sh
source "$root/tests/services/lib.sh"
tmp=$(mktemp -d)
trap 'svc_stop; rm -rf "$tmp"' EXIT
cd "$tmp"
export OPTIGA_PROVISION_DIR=$tmp/state

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_fail MESSAGE CMD...: CMD exits non-zero and its stderr contains MESSAGE.
expect_fail() {
  local message=$1 rc=0
  shift
  "$@" >out.txt 2>err.txt || rc=$?
  [ "$rc" -ne 0 ] || fail "'$*' succeeded, expected an error with '$message'"
  grep -qF -- "$message" err.txt || fail "'$*' stderr lacks '$message': $(cat err.txt)"
  echo "ok: refused: $(grep -m1 'error' err.txt)"
}
new_chip() { "$optigactl" sim create "$1" >/dev/null; echo "sim:$tmp/$1"; }
# cert_matches_key DEVICE KEYSLOT CERTSLOT: the certificate on the chip certifies the slot's key.
cert_matches_key() {
  "$optigactl" -d "$1" read "$3" --out cert.der
  [ -s cert.der ] || fail "$3 is empty on $1"
  [ "$(openssl x509 -inform DER -in cert.der -noout -pubkey)" = "$("$optigactl" -d "$1" pubkey "$2")" ] \
    || fail "$3 on $1 does not certify the key in $2"
}
# state_count KIND: number of things/certificates/policies in the local AWS service.
state_count() { aws_local_state | python3 -c "import json,sys; print(len(json.load(sys.stdin)['$1']))"; }
