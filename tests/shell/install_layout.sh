#!/usr/bin/env bash
# `cmake --install` puts every file under the prefix it is given (with DESTDIR in front), and the
# p11-kit configuration names the module where that install put it: the full path under a prefix
# p11-kit does not search, the bare file name in p11-kit's own module directory (docs/install.md).
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"

# $1: DESTDIR, $2: prefix. Installs the build tree there and checks the layout.
install_to() {
  local dest=$1 prefix=$2 conf module_line module_path stray
  DESTDIR=$dest cmake --install "$build" --prefix "$prefix" >install.log
  stray=$(find "$dest" \( -type f -o -type l \) ! -path "$dest$prefix/*")
  [ -z "$stray" ] || fail "installed outside $prefix: $stray"
  conf=$(find "$dest$prefix" -name optiga.module)
  [ -n "$conf" ] || fail "no optiga.module under $dest$prefix"
  module_line=$(sed -n 's/^module: *//p' "$conf")
  find "$dest$prefix" -path '*/pkcs11/optiga-pkcs11.so' | grep -q . || fail "no module in \${libdir}/pkcs11"
  find "$dest$prefix" -path '*/rules.d/60-optiga.rules' | grep -q . || fail "no udev rule"
  find "$dest$prefix" -path '*/bin/optigactl' | grep -q . || fail "no optigactl"
  find "$dest$prefix" -name optiga.so ! -path '*/pkcs11/*' | grep -q . || fail "no provider under $dest$prefix"
  echo "$module_line"
}

# A prefix p11-kit does not search: the full path, and the module is there.
line=$(install_to "$tmp/local" /usr/local)
case "$line" in
  /usr/local/*/pkcs11/optiga-pkcs11.so) ;;
  *) fail "optiga.module names '$line', not the module under /usr/local" ;;
esac
[ -f "$tmp/local$line" ] || fail "optiga.module names $line, which the install did not create"
echo "ok: /usr/local install, optiga.module -> $line"

# The installed provider loads from where it was put (OPENSSL_MODULES, as docs/install.md says for
# a prefix other than /usr), with no build-tree run path.
provider=$(find "$tmp/local/usr/local" -name optiga.so ! -path '*/pkcs11/*')
OPENSSL_MODULES=$(dirname "$provider") openssl list -providers -provider optiga >providers.txt 2>&1 ||
  fail "the installed provider does not load: $(cat providers.txt)"
grep -q '^  optiga$' providers.txt || fail "no optiga provider listed: $(cat providers.txt)"
readelf -d "$tmp/local$line" | grep -E 'RPATH|RUNPATH' && fail "the installed module keeps a build run path"
echo "ok: the installed provider loads, the installed module has no run path"

# p11-kit's module directory as the install's ${libdir}/pkcs11: the bare name p11-kit resolves there.
p11_libdir=$(dirname "$p11_module_dir")
prefix=/usr
rel_libdir=${p11_libdir#"$prefix"/}
cmake -S "$root" -B "$tmp/b-usr" -DCMAKE_INSTALL_PREFIX=$prefix -DCMAKE_INSTALL_LIBDIR="$rel_libdir" \
  >configure.log 2>&1 || fail "configuring with prefix /usr failed: $(tail -5 configure.log)"
# Nothing built: only the p11-kit configuration (its own install component) is installed.
DESTDIR=$tmp/usr cmake --install "$tmp/b-usr" --prefix /usr --component p11kit >usr.log 2>&1 ||
  fail "installing the p11-kit configuration failed: $(cat usr.log)"
conf=$(find "$tmp/usr" -name optiga.module)
[ "$conf" = "$tmp/usr$(pkg-config --variable=p11_module_configs p11-kit-1)/optiga.module" ] ||
  fail "optiga.module is at '$conf', not in p11-kit's module configuration directory"
line=$(sed -n 's/^module: *//p' "$conf")
[ "$line" = optiga-pkcs11.so ] || fail "optiga.module names '$line', expected the bare optiga-pkcs11.so"
echo "ok: /usr install, optiga.module -> $line (resolved in $p11_module_dir)"
