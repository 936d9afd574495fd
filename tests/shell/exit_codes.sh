#!/usr/bin/env bash
# Every program's exit codes are the documented ones (docs/admin-cli.md, docs/provisioning.md):
# 0 done, 1 the chip (or cloud) refused, 2 usage, 3 no device; `--version` prints the project
# version and exits 0 on optigactl, optiga-emulator and provision alike.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
provision=$root/scripts/provision
version=$(sed -n 's/^project(optiga-host VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"

# 0: --version, the same version everywhere.
for tool in "$optigactl" "$emulator" "$provision"; do
  out=$("$tool" --version) || fail "$tool --version exited $?"
  [ "$out" = "$(basename "$tool") $version" ] || fail "$tool --version printed '$out', expected '$(basename "$tool") $version'"
  echo "ok: $out"
done

# 2: usage.
expect_fail 2 "unknown command 'foo'" "$optigactl" foo
expect_fail 2 "--hex: not a hex digit" "$optigactl" --device sim:"$tmp/none" write 0xF1D0 --hex zz
expect_fail 2 "--hex: not a hex digit" "$optigactl" --device sim:"$tmp/none" metadata set 0xF1D0 --hex 2g
expect_fail 2 "--socket is required" "$emulator"
expect_fail 2 "invalid choice" "$provision" frobnicate
expect_fail 2 "no chip given" "$provision" aws --thing t1
new_chip chip.state
expect_fail 2 "no thing name" "$provision" aws --device "$OPTIGA_DEVICE"

# 1: the chip refused (a key there already).
"$optigactl" keygen 0xE0F1 >/dev/null
expect_fail 1 "already holds" "$optigactl" keygen 0xE0F1

# 3: no device, for optigactl and for provision (which asks optigactl).
expect_fail 3 "" "$optigactl" --device "sim+unix:$tmp/no.sock" info
# (a thing name with {uid} asks the chip first, before any cloud call)
expect_fail 3 "no emulator listens" "$provision" aws --device "sim+unix:$tmp/no.sock" --thing "t-{uid}"
