#!/usr/bin/env bash
# The module under OpenSSL's libp11 engine (Debian's libengine-pkcs11-openssl, engine id
# `pkcs11`), loaded from an openssl.cnf: a CSR signed by a chip key verifies, ECDH through the
# engine equals OpenSSL's software result, and no command hangs or crashes at exit, whether or not
# C_Finalize is called (docs/pkcs11.md, "OpenSSL's libp11 engine").
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
engine=$engines_dir/pkcs11.so
spy=$p11_module_dir/pkcs11-spy.so
# The chip runs in its own process, as real hardware would; the end of the test repeats the
# derive and a CSR with the emulator inside the openssl process, where `-engine` has made the
# engine the default for EC.
start_emulator chip.state

p11 --keypairgen --key-type EC:prime256v1 --id E0F1 >/dev/null
p11 --keypairgen --key-type EC:prime256v1 --id E0F2 --usage-derive >/dev/null
label=$(p11 -L | sed -n 's/^ *token label *: *//p' | sed 's/ *$//')
token=${label// /%20}

# The engine loads through the configuration file, like an application would configure it.
cnf() {
  cat > "$1" <<EOF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engine
MODULE_PATH = $2
init = 0
EOF
}
cnf openssl.cnf "$module"
export OPENSSL_CONF=$tmp/openssl.cnf
# A hang (deadlock in initialisation or at exit) fails the test instead of blocking it.
ossl() { timeout 60 openssl "$@" < /dev/null; }

ossl req -new -engine pkcs11 -keyform engine -key "pkcs11:token=$token;object=E0F1;type=private" -subj /CN=x \
  -out x.csr 2> req.err || { echo "openssl req through the engine failed"; cat req.err; exit 1; }
ossl req -in x.csr -noout -verify 2>&1 | tee verify.txt
grep -q "verify OK" verify.txt
# The CSR carries the chip key's public key.
p11 --read-object --type pubkey --id E0F1 -o pub1.der
openssl req -in x.csr -noout -pubkey | openssl pkey -pubin -outform DER -out csr_pub.der
cmp pub1.der csr_pub.der

# Software-only steps run without the engine configuration.
sw() { OPENSSL_CONF=/dev/null openssl "$@"; }
sw ecparam -name prime256v1 -genkey -noout -out peer.pem
sw pkey -in peer.pem -pubout -out peer_pub.pem
ossl pkeyutl -derive -engine pkcs11 -keyform engine -inkey "pkcs11:token=$token;object=E0F2;type=private" \
  -peerkey peer_pub.pem -out secret.bin 2> derive.err || { echo "pkeyutl -derive failed"; cat derive.err; exit 1; }
p11 --read-object --type pubkey --id E0F2 -o pub2.der
sw pkey -pubin -inform DER -in pub2.der -out pub2.pem
sw pkeyutl -derive -inkey peer.pem -peerkey pub2.pem -out expected.bin
cmp secret.bin expected.bin
test "$(wc -c < secret.bin)" -eq 32

# Whether the engine calls C_Finalize is its choice: pkcs11-spy between the engine and the module
# shows which case each command exercised. The commands must succeed and exit cleanly either way.
cnf spy.cnf "$spy"
export OPENSSL_CONF=$tmp/spy.cnf PKCS11SPY=$module PKCS11SPY_OUTPUT=$tmp/spy.log
ossl req -new -engine pkcs11 -keyform engine -key "pkcs11:token=$token;object=E0F1;type=private" -subj /CN=y \
  -out y.csr 2>/dev/null
ossl req -in y.csr -noout -verify 2>&1 | grep -q "verify OK"
grep -q "C_Sign" spy.log
if grep -q "C_Finalize" spy.log; then echo "  engine called C_Finalize"; else echo "  engine exited without C_Finalize"; fi
unset PKCS11SPY PKCS11SPY_OUTPUT
export OPENSSL_CONF=$tmp/openssl.cnf

# Exit without C_Finalize, for certain: a process that initialises, signs and exits.
python3 - "$module" <<'EOF'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
fl = ctypes.c_void_p()
assert lib.C_GetFunctionList(ctypes.byref(fl)) == 0
assert lib.C_Initialize(None) == 0
n = ctypes.c_ulong(0)
assert lib.C_GetSlotList(1, None, ctypes.byref(n)) == 0 and n.value >= 1
slots = (ctypes.c_ulong * n.value)()
assert lib.C_GetSlotList(1, slots, ctypes.byref(n)) == 0
s = ctypes.c_ulong(0)
assert lib.C_OpenSession(slots[0], 4, None, None, ctypes.byref(s)) == 0   # CKF_SERIAL_SESSION
buf = (ctypes.c_ubyte * 16)()
assert lib.C_GenerateRandom(s, buf, 16) == 0
sys.exit(0)   # no C_CloseSession, no C_Finalize: atexit handlers and static destructors run
EOF
echo "  exit without C_Finalize: ok"

# Two engine commands at once share the chip without deadlock.
ossl req -new -engine pkcs11 -keyform engine -key "pkcs11:token=$token;object=E0F1;type=private" -subj /CN=a \
  -out a.csr 2>/dev/null &
pa=$!
ossl req -new -engine pkcs11 -keyform engine -key "pkcs11:token=$token;object=E0F1;type=private" -subj /CN=b \
  -out b.csr 2>/dev/null &
pb=$!
wait "$pa"
wait "$pb"
ossl req -in a.csr -noout -verify 2>&1 | grep -q "verify OK"
ossl req -in b.csr -noout -verify 2>&1 | grep -q "verify OK"
# The same chip emulated inside the openssl process (sim: on the state file): the emulator's own
# cryptography must not be taken over by the engine `-engine` made the default for EC.
export OPTIGA_DEVICE="sim:$tmp/chip.state"
ossl pkeyutl -derive -engine pkcs11 -keyform engine -inkey "pkcs11:token=$token;object=E0F2;type=private" \
  -peerkey peer_pub.pem -out secret_inproc.bin 2> derive.err || { echo "in-process -derive failed"; cat derive.err; exit 1; }
cmp secret_inproc.bin expected.bin
ossl req -new -engine pkcs11 -keyform engine -key "pkcs11:token=$token;object=E0F1;type=private" -subj /CN=in \
  -out in.csr 2>/dev/null
ossl req -in in.csr -noout -verify 2>&1 | grep -q "verify OK"
echo "pkcs11 through the libp11 engine: ok"
