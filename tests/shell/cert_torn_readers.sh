#!/usr/bin/env bash
# A certificate torn by an interrupted write (issue 10 item 21; docs/protocol-notes.md "Certificate
# writes and power loss"): every reader says "torn: rewrite" — optigactl cert read and read (exit 1),
# the PKCS#11 module (no object, and a warning saying why), the provider (an error) — never the
# torn bytes, never "empty"; writing the certificate again cures it. And a real power loss between
# the two commands of a write keeps the old certificate when it fits one command.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

# Certificates of about 1600 bytes need two SetDataObject commands on a Trust M (1549 bytes each).
openssl ecparam -name prime256v1 -genkey -noout -out k.key
ous=$(for i in $(seq 1 9); do printf '/OU=%s' "$(printf 'x%.0s' $(seq 1 60))"; done)
openssl req -new -x509 -key k.key -subj "/CN=big$ous" -days 2 -outform DER -out big.der
size=$(stat -c %s big.der)
[ "$size" -gt 1549 ] && [ "$size" -le 1728 ] || fail "big.der has $size bytes, not two commands' worth"
openssl req -new -x509 -key k.key -subj "/CN=small" -days 2 -outform DER -out small.der

# What an interrupted write leaves: its first command only, when the first bytes go first (older
# versions, other tools), or all but its first bytes after an erase (this version's order).
head -c 1549 big.der >first-bytes-first.bin
{ head -c 1549 /dev/zero; tail -c +1550 big.der; } >first-bytes-last.bin
for torn in first-bytes-first.bin first-bytes-last.bin; do
  "$optigactl" write 0xE0E1 --raw --in "$torn" >/dev/null
  expect_fail 1 "0xE0E1 holds a torn certificate" "$optigactl" cert read 0xE0E1
  grep -qF "torn: rewrite" err.txt || fail "cert read does not say 'torn: rewrite': $(cat err.txt)"
  rc=0; "$optigactl" --json cert read 0xE0E1 >out.json 2>/dev/null || rc=$?
  [ "$rc" -eq 1 ] && jq -e '.error.reason == "torn_certificate"' out.json >/dev/null || fail "--json: exit $rc, $(cat out.json)"
  expect_fail 1 "torn: rewrite" "$optigactl" read 0xE0E1
  [ "$("$optigactl" read 0xE0E1 --raw)" = "$(xxd -p -c 100000 "$torn")" ] || fail "read --raw does not give the bytes"
  # PKCS#11: the slot shows no certificate, and the log says why.
  p11 --list-objects --type cert >objects.txt 2>p11.txt
  ! grep -q "label: *E0E1" objects.txt || fail "PKCS#11 lists the torn certificate: $(cat objects.txt)"
  grep -q "0xE0E1 holds a torn certificate.*torn: rewrite" p11.txt || fail "PKCS#11 does not log the tear: $(cat p11.txt)"
  # The provider: an error naming the slot, not "holds no certificate".
  if openssl x509 "${P[@]}" -in optiga:0xE0E1 -noout 2>ossl.txt; then fail "the provider read a torn certificate"; fi
  grep -q "torn: rewrite" ossl.txt || fail "the provider does not say torn: $(cat ossl.txt)"
  echo "ok: $torn is torn for every reader"
done
# Writing again cures it.
"$optigactl" cert write 0xE0E1 --in big.der >/dev/null 2>&1
"$optigactl" cert read 0xE0E1 --out back.der 2>/dev/null
cmp -s back.der big.der || fail "the rewritten certificate reads back differently"

# A real power loss (the emulator's fault) between the two commands of a write over a certificate
# that fits one command: the writer is told, every reader still sees the old certificate.
"$optigactl" cert write 0xE0E1 --in small.der >/dev/null 2>&1
rc=0; OPTIGA_SIM_FAULTS=powerloss=0.5,seed=3 "$optigactl" cert write 0xE0E1 --in big.der >/dev/null 2>write.txt || rc=$?
[ "$rc" -ne 0 ] || fail "the interrupted write reported success"
grep -q "before its first bytes were written" write.txt || fail "the writer is not told: $(cat write.txt)"
"$optigactl" cert read 0xE0E1 --out back.der 2>/dev/null
cmp -s back.der small.der || fail "after the interrupted write 0xE0E1 does not hold the old certificate"
p11 --read-object --type cert --label E0E1 -o p11.der 2>/dev/null
cmp -s p11.der small.der || fail "PKCS#11 does not read the old certificate"
echo OK
