# The common start of every shell test. Source it right after `set -euo pipefail`:
#
#   source "$(dirname "$0")/lib/setup.sh"
#
# It gives each test the same paths, a private temp dir (the working directory, removed on exit),
# a cleanup list run on exit, and the small assertion helpers. Paths of system libraries come
# from pkg-config and the multiarch triplet, never from one architecture's layout.
#
#   build, root          the build tree ($OPTIGA_BUILD_DIR) and the source tree
#   optigactl, emulator  the built tools; module (PKCS#11), provider_dir, P (provider options)
#   multiarch_libdir     /usr/lib/<triplet>
#   p11_proxy, p11_module_dir, engines_dir   p11-kit's proxy, p11-kit's module dir, OpenSSL's engines
#   tmp                  the temp dir (also the working directory)
#
#   on_exit CMD          run CMD on exit (before the temp dir goes), last added first
#   fail MSG             print FAIL: MSG and exit 1
#   expect_fail CODE MESSAGE CMD...   CMD exits with CODE (or any non-zero code for CODE '*') and
#                        its stderr contains MESSAGE
#   new_chip NAME [MODEL]   a fresh emulated chip in $tmp/NAME; exports OPTIGA_DEVICE for it
#   start_emulator NAME  optiga-emulator serving $tmp/NAME on $tmp/NAME.sock (stopped by its PID on
#                        exit); exports OPTIGA_DEVICE=sim+unix:...
#   p11 ARGS...          pkcs11-tool with the module, bounded in time

root=${OPTIGA_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
build=${OPTIGA_BUILD_DIR:-$root/build}
export OPTIGA_BUILD_DIR=$build
optigactl=$build/tools/optigactl/optigactl
emulator=$build/tools/optiga-emulator/optiga-emulator
module=$build/pkcs11/optiga-pkcs11.so
provider_dir=$build/ossl_provider
P=(-provider-path "$provider_dir" -provider optiga)
[ -x "$optigactl" ] || { echo "$(basename "$0"): $optigactl is not built" >&2; exit 1; }

multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
multiarch_libdir=/usr/lib/$multiarch
p11_proxy=$(pkg-config --variable=proxy_module p11-kit-1)
p11_module_dir=$(pkg-config --variable=p11_module_path p11-kit-1)
engines_dir=$(pkg-config --variable=enginesdir libcrypto)

# No system configuration (/etc/optiga/optiga.conf) reaches a test unless it asks for one.
export OPTIGA_CONF=/dev/null
unset OPTIGA_DEVICE

_exit_cmds=()
on_exit() { _exit_cmds=("$1" "${_exit_cmds[@]}"); }
_run_exit_cmds() {
  local c
  for c in "${_exit_cmds[@]}"; do eval "$c" || true; done
  rm -rf "$tmp"
}
tmp=$(mktemp -d)
trap _run_exit_cmds EXIT
cd "$tmp"

fail() { echo "FAIL: $*" >&2; exit 1; }

expect_fail() {
  local code=$1 message=$2 rc=0
  shift 2
  "$@" >out.txt 2>err.txt || rc=$?
  if [ "$code" = '*' ]; then
    [ "$rc" -ne 0 ] || fail "'$*' succeeded, expected an error with '$message'"
  else
    [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code (stderr: $(cat err.txt))"
  fi
  grep -qF -- "$message" err.txt || fail "'$*' stderr lacks '$message': $(cat err.txt)"
  echo "ok: '$*' -> exit $rc: $(head -1 err.txt)"
}

new_chip() {
  local name=$1 model=${2:-}
  "$optigactl" sim create "$tmp/$name" ${model:+--model "$model"} >/dev/null
  export OPTIGA_DEVICE="sim:$tmp/$name"
}

start_emulator() {
  local name=$1 pid i
  [ -f "$tmp/$name" ] || "$optigactl" sim create "$tmp/$name" >/dev/null
  timeout 600 "$emulator" --socket "$tmp/$name.sock" --state "$tmp/$name" --timeout 580 >"$tmp/$name.log" 2>&1 &
  pid=$!
  on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  for i in $(seq 1 100); do [ -S "$tmp/$name.sock" ] && break; sleep 0.05; done
  [ -S "$tmp/$name.sock" ] || fail "the emulator did not start: $(cat "$tmp/$name.log")"
  export OPTIGA_DEVICE="sim+unix:$tmp/$name.sock"
}

p11() { timeout 60 pkcs11-tool --module "$module" "$@"; }
