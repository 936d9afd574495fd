#!/usr/bin/env bash
# scripts/provisioning drives the chip only through optigactl's documented interface (--json and
# exit codes, docs/admin-cli.md): it holds no slot table or slot pairing, no certificate size
# limit, no DER/TLV parsing, no key usage of its own, and decides nothing by matching optigactl's
# message text. Those rules live in core/token; a copy here drifts (issue 9). Also: no compiled
# Python is committed.
set -euo pipefail
root=${OPTIGA_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
pkg=$root/scripts/provisioning
files=("$pkg"/*.py "$root/scripts/provision")
[ "${#files[@]}" -gt 5 ] || { echo "FAIL: no provisioning sources under $pkg" >&2; exit 1; }

failed=0
# refuse WHAT REGEX FILE...: no line of the files matches REGEX (extended, case-insensitive).
refuse() {
  local what=$1 re=$2 hits
  shift 2
  if hits=$(grep -nEi -- "$re" "$@"); then
    echo "FAIL: $what:" >&2
    echo "$hits" >&2
    failed=1
  else
    echo "ok: no $what"
  fi
}

# Slot tables and pairings: certificate slots by number, several key slots listed together,
# key <-> certificate arithmetic.
refuse "certificate slot numbers (pairing is optigactl's answer)" '(0x)?E0E[0-3]\b' "${files[@]}"
refuse "key slot lists" 'E0F[0-9A-F].*E0F[0-9A-F]|KEY_SLOTS' "${files[@]}"
refuse "slot arithmetic" '[-+] *0x10\b' "${files[@]}"
# Size limits of chip objects.
refuse "object size limits" '\b(1728|1200)\b|len\([^)]*\) *[<>]=? *[0-9]{3,}' "${files[@]}"
# Certificate-format parsing: DER tags, the 0xC0 chain format, ASN.1/TLV/binary unpacking.
refuse "DER/TLV parsing" '\b0x30\b|\b0xC0\b|\\x30|\\xc0|asn1|struct\.(un)?pack|from_bytes|\bder\b|\btlv\b|-outform' \
  "${files[@]}"
# A key usage of provisioning's own: keys get the one default every front end gives.
refuse "key usage chosen by provisioning" '--usage|"sign,auth"|sign, *auth' "${files[@]}"
# Decisions by message text: only the aws CLI (whose errors exist only as text, with AWS's error
# codes) is read on stderr; runner.py passes stderr on to people, unread.
refuse "optigactl message text" 'no public key known|in +(err|stderr|proc\.stderr)\b' "$pkg/chip.py"
readers=$(grep -HE '\.stderr\b' "${files[@]}" | grep -v 'sys\.stderr' | cut -d: -f1 | xargs -r -n1 basename | sort -u \
  | grep -vxE 'awscli\.py|runner\.py' || true)
if [ -n "$readers" ]; then
  echo "FAIL: stderr read by $readers (decide by optigactl's exit code and --json reason)" >&2
  failed=1
else
  echo "ok: only awscli.py and runner.py read stderr"
fi
grep -q '"--json"' "$pkg/chip.py" || { echo "FAIL: chip.py does not run optigactl with --json" >&2; failed=1; }

# No compiled Python in the repository, and it stays out.
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  n=$(git -C "$root" ls-files | grep -c pycache || true)
  [ "$n" -eq 0 ] || { echo "FAIL: $n __pycache__ files are committed" >&2; failed=1; }
  echo "ok: $n committed __pycache__ files"
fi
grep -qx '__pycache__/' "$root/.gitignore" && grep -qxF '*.pyc' "$root/.gitignore" \
  || { echo "FAIL: .gitignore lacks __pycache__/ or *.pyc" >&2; failed=1; }

[ "$failed" -eq 0 ] || exit 1
echo "PASS provision_no_chip_rules"
