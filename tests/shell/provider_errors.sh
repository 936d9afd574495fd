#!/usr/bin/env bash
# Provider: each error is one OpenSSL error line from the provider naming the function that
# raised it (never "(unknown function)"), the slot and the cause; a chip that cannot be opened is
# named with the device string actually chosen and where it came from.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
new_chip chip.state

expect_error() {  # expect_error PATTERN command...
  local pattern=$1; shift
  if "$@" >/dev/null 2>err.txt; then echo "unexpected success: $*"; exit 1; fi
  [ "$(grep -c ':optiga:' err.txt)" = 1 ] || { cat err.txt; exit 1; }
  grep ':optiga:' err.txt | grep -q -- "$pattern" || { cat err.txt; exit 1; }
  ! grep -q "unknown function" err.txt || { echo "no function named:"; cat err.txt; exit 1; }
  # error:CODE:optiga:FUNCTION:REASON:FILE:LINE:DATA, FUNCTION a C++ identifier
  grep ':optiga:' err.txt | grep -qE 'error:[0-9A-F]+:optiga:[A-Za-z_][A-Za-z_0-9]*:' || { cat err.txt; exit 1; }
}
expect_error "slot 0xE0F2 is empty: generate a key first" openssl pkey "${P[@]}" -in optiga:0xE0F2 -pubout
expect_error "slot 0xE0E2 holds no certificate" openssl x509 "${P[@]}" -in optiga:0xE0E2 -noout
expect_error "'0xZZ' is not a slot" openssl pkey "${P[@]}" -in optiga:0xZZ -pubout
expect_error "0xE0F9 is not a key or certificate slot" openssl pkey "${P[@]}" -in optiga:0xE0F9 -pubout
OPTIGA_DEVICE="sim+unix:$tmp/absent.sock" expect_error "slot 0xE0F1: cannot open the chip" openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout
grep -q ':optiga:store_open:' err.txt || { cat err.txt; exit 1; }
# $OPTIGA_DEVICE beats the configuration file's device: the message names the one it chose.
printf 'device = sim+unix:%s/from-config.sock\n' "$tmp" >optiga.conf
OPTIGA_CONF=$tmp/optiga.conf OPTIGA_DEVICE="sim+unix:$tmp/absent.sock" \
  expect_error "cannot open the chip sim+unix:$tmp/absent.sock (from \$OPTIGA_DEVICE)" openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout
! grep -q from-config err.txt || { cat err.txt; exit 1; }
# ... and the configuration file's device when it chose.
OPTIGA_CONF=$tmp/optiga.conf OPTIGA_DEVICE= expect_error "cannot open the chip sim+unix:$tmp/from-config.sock (from $tmp/optiga.conf: device)" \
  openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout
expect_error "needs the slot" openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256
echo OK
