#!/usr/bin/env bash
# The layering rules of docs/architecture.md, checked on the source tree (issue "One road to the
# chip"): core never includes hal/, the front ends reach the chip only through core/token (no
# Device), no Python bytecode is tracked, and no test or script names one architecture's paths
# (they come from pkg-config, `openssl version -e` or the multiarch triplet; the cross-build script
# is the one place that names triplets on purpose).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
cd "$root"

hits=$(grep -rn '#include "hal' core || true)
[ -z "$hits" ] || fail "core includes hal/: $hits"
hits=$(grep -rn 'device()' pkcs11 ossl_provider || true)
[ -z "$hits" ] || fail "a front end reaches the Device: $hits"
hits=$(grep -rn 'device::Device&' pkcs11 ossl_provider || true)
[ -z "$hits" ] || fail "a front end passes the Device around: $hits"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  n=$(git -C "$root" ls-files | grep -c -E '__pycache__|\.pyc$' || true)
  [ "$n" = 0 ] || fail "$n Python bytecode files are tracked"
fi
hits=$(grep -rn -E '(x86_64|aarch64|arm)-linux-gnu(eabihf)?' tests scripts --include='*.sh' --include='*.py' \
  --include='*.cnf' | grep -v '^scripts/cross-build.sh:' | grep -v '^tests/shell/tree_layering.sh:' || true)
[ -z "$hits" ] || fail "architecture-specific paths: $hits"
echo "tree layering: ok"
