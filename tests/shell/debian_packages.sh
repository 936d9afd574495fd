#!/usr/bin/env bash
# The Debian packages as a new user meets them (docs/install.md): built from this tree with
# dpkg-buildpackage, no lintian errors, installed with apt-get, then used from a directory outside
# the checkout with a plain PATH and no build tree: p11-kit lists the module, pkcs11-tool through
# p11-kit-proxy.so and p11tool show the token, openssl finds the provider by name, optiga-provision
# personalises the chip (named in /etc/optiga/optiga.conf) against the local AWS IoT service,
# mosquitto_pub with the written configuration reaches the local broker, the
# aws-iot-device-client configuration passes the client's checks, `man optigactl` renders. Then
# the packages are purged and nothing they made is left.
#
# Needs root (skipped otherwise, exit 77). Where the kernel allows, everything happens in a
# private mount namespace whose /usr, /etc and /var are overlays: the machine running the test
# keeps its own packages (CI containers without that install for real, then purge).
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIP: debian_packages needs root (it installs packages with apt-get)"
  exit 77
fi
if [ -z "${OPTIGA_PKG_OVERLAY:-}" ] && unshare --mount --propagation private true 2>/dev/null; then
  overlay=$(mktemp -d)
  rc=0
  OPTIGA_PKG_OVERLAY=$overlay unshare --mount --propagation private bash "$0" || rc=$?
  rm -rf "$overlay"
  exit "$rc"
fi
if [ -n "${OPTIGA_PKG_OVERLAY:-}" ]; then
  mounted=()
  for d in usr etc var; do
    mkdir -p "$OPTIGA_PKG_OVERLAY/$d.up" "$OPTIGA_PKG_OVERLAY/$d.work"
    if mount -t overlay overlay \
         -o "lowerdir=/$d,upperdir=$OPTIGA_PKG_OVERLAY/$d.up,workdir=$OPTIGA_PKG_OVERLAY/$d.work" "/$d" 2>/dev/null; then
      mounted+=("/$d")
    else
      # No overlays here: install for real (then purge), as in a CI container.
      for m in "${mounted[@]}"; do umount "$m"; done
      mounted=()
      break
    fi
  done
  [ ${#mounted[@]} -eq 0 ] || echo "installing into overlays of /usr, /etc, /var (private mount namespace)"
fi
source "$(dirname "$0")/../services/prelude.sh"
for p in optiga-host optiga-provision optiga-emulator; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "SKIP: $p is installed on this machine already; the test would replace it"
    exit 77
  fi
done

# --- build (a user build: no tests, no benchmarks) and lintian --------------------------------------
# $OPTIGA_PKG_DEBS: a directory with the three .deb files built already (skips the build).
debdir=${OPTIGA_PKG_DEBS:-$tmp/src}
if [ -z "${OPTIGA_PKG_DEBS:-}" ]; then
  src=$tmp/src/optiga-host
  mkdir -p "$src"
  tar -C "$root" --exclude='./build*' --exclude=./.git --exclude='./obj-*' --exclude=./debian/tmp -cf - . |
    tar -C "$src" -xf -
  # As cheap as a package build gets, since this checks the packaging, not the compiler's output: no
  # tests (nocheck), no debug-symbol packages, -O0 (noopt) without debug info, and ccache when the
  # machine has it.
  export DEB_BUILD_OPTIONS="nocheck noautodbgsym noopt parallel=2" DEB_CFLAGS_APPEND=-g0 DEB_CXXFLAGS_APPEND=-g0
  if command -v ccache >/dev/null; then
    export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
    export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  fi
  start=$SECONDS
  (cd "$src" && dpkg-buildpackage -b -us -uc) >build.log 2>&1 || fail "dpkg-buildpackage: $(tail -40 build.log)"
  echo "ok: dpkg-buildpackage in $((SECONDS - start)) s"
fi
debs=("$debdir"/optiga-*.deb)
[ ${#debs[@]} -eq 3 ] || fail "expected 3 packages, got: ${debs[*]}"
lintian --fail-on error "${debs[@]}" >lintian.txt 2>&1 || fail "lintian reports errors: $(cat lintian.txt)"
echo "ok: lintian, no errors ($(grep -c '^W:' lintian.txt || true) warnings)"

# --- install -------------------------------------------------------------------------------------
snapshot() {
  find /etc /usr /opt /var -xdev \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache \
    -o -path /var/log -o -path /var/tmp \) -prune -o -print | sort
}
snapshot >before.txt
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${debs[@]}" >install.log 2>&1 ||
  fail "apt-get install: $(tail -20 install.log)"
echo "ok: apt-get install ${debs[*]##*/}"

# --- use, from outside the checkout, with a plain PATH and no build tree -------------------------
outside=$tmp/outside
mkdir -p "$outside" "$tmp/home"
aws_env=(AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_DEFAULT_REGION AWS_EC2_METADATA_DISABLED AWS_MAX_ATTEMPTS AWS_PAGER)
user() {
  local kept=() v
  for v in "${aws_env[@]}"; do [ -z "${!v+x}" ] || kept+=("$v=${!v}"); done
  (cd "$outside" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$tmp/home" "${kept[@]}" "$@")
}
svc_start_aws "$tmp"
svc_start_broker "$tmp"

user optigactl --version | grep -qx "optigactl [0-9.]*" || fail "optigactl --version"
user optigactl sim create "$tmp/chip.state" >/dev/null
printf 'device = sim:%s\n' "$tmp/chip.state" >>/etc/optiga/optiga.conf
user optigactl info >info.txt || fail "optigactl info with /etc/optiga/optiga.conf: $(cat info.txt)"

user p11-kit list-modules >modules.txt
grep -q '^optiga: ' modules.txt || fail "p11-kit list-modules does not show optiga: $(cat modules.txt)"
user timeout 60 pkcs11-tool --module p11-kit-proxy.so -L >p11.txt 2>&1 || fail "pkcs11-tool: $(cat p11.txt)"
grep -q 'token label *: OPTIGA ' p11.txt || fail "pkcs11-tool through p11-kit-proxy.so shows no OPTIGA token: $(cat p11.txt)"
user timeout 60 p11tool --list-tokens >tokens.txt 2>&1 || fail "p11tool: $(cat tokens.txt)"
grep -q 'Label: OPTIGA ' tokens.txt || fail "p11tool --list-tokens shows no OPTIGA token: $(cat tokens.txt)"
echo "ok: p11-kit, pkcs11-tool --module p11-kit-proxy.so and p11tool see the token"

user optiga-provision aws --thing pkg_thing --endpoint-url "$AWS_LOCAL_URL" --root-ca "$tmp/ca/ca.pem" \
  --mqtt-port "$BROKER_PORT" --state-dir state >provision.txt 2>&1 || fail "optiga-provision aws: $(cat provision.txt)"
cfg=$outside/state/pkg_thing
[ "$(jq -r .pkcs11_module "$cfg/device.json")" = "$p11_module_dir/optiga-pkcs11.so" ] ||
  fail "device.json names $(jq -r .pkcs11_module "$cfg/device.json"), not the installed module"
user python3 "$root/tests/services/check_device_client.py" "$cfg/aws-iot-device-client.json" ||
  fail "aws-iot-device-client would refuse its configuration"
echo "ok: optiga-provision aws; aws-iot-device-client.json passes the client's checks"

user openssl req -new -provider optiga -provider default -key optiga:0xE0F1 -subj /CN=pkg -out req.csr \
  >req.txt 2>&1 || fail "openssl req with the provider found by name: $(cat req.txt)"
user openssl req -in req.csr -noout -verify >/dev/null 2>&1 || fail "the CSR does not verify"
echo "ok: openssl req -provider optiga -key optiga:0xE0F1"

timeout 120 mosquitto_sub -h localhost -p "$BROKER_PORT" --cafile ca/ca.pem --cert ca/broker.pem \
  --key ca/broker.key -t 'things/pkg_thing/#' -C 1 -v >received.txt 2>sub.err &
sub_pid=$!
sleep 1
user sh -c "cd '$cfg' && set -a && . ./mosquitto.env && set +a && timeout 60 mosquitto_pub -t things/pkg_thing/hello -m installed" \
  >pub.txt 2>&1 || fail "mosquitto_pub with the written configuration: $(cat pub.txt)"
wait "$sub_pid" || fail "mosquitto_sub: $(cat sub.err)"
grep -qx "things/pkg_thing/hello installed" received.txt || fail "the broker did not deliver: $(cat received.txt)"
echo "ok: mosquitto_pub with the written configuration"

if grep -qs 'path-exclude=/usr/share/man' /etc/dpkg/dpkg.cfg.d/*; then
  # A minimised image drops man pages on install: render the packaged one.
  dpkg-deb --fsys-tarfile "$debdir"/optiga-host_*.deb | tar -xO ./usr/share/man/man1/optigactl.1.gz | zcat >optigactl.1
  MANWIDTH=80 man -l optigactl.1 >man.txt 2>&1
else
  user env MANWIDTH=80 man -P cat optigactl >man.txt 2>&1
fi
grep -q 'optigactl - administer an OPTIGA' man.txt || fail "man optigactl: $(head -5 man.txt)"
echo "ok: man optigactl"

# --- purge: nothing the packages made is left ---------------------------------------------------
svc_stop
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q optiga-host optiga-provision optiga-emulator >purge.log 2>&1 ||
  fail "apt-get purge: $(tail -20 purge.log)"
snapshot >after.txt
diff before.txt after.txt >left.txt || fail "left after purge (or removed): $(cat left.txt)"
echo "ok: purged, nothing left"
echo "PASS debian_packages"
