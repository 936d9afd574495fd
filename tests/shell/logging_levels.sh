#!/usr/bin/env bash
# Logging (docs/configuration.md, "Logging"): log_level = debug in the configuration file gives
# debug lines from the PKCS#11 module, the provider and optigactl; $OPTIGA_LOG_LEVEL and -v
# override it; trace adds every APDU; and at trace nothing secret reaches stderr: not the login
# PIN, not a binding secret written to 0xE140, not a private key of the (emulated) chip.
set -euo pipefail
source "$(dirname "$0")/lib/setup.sh"
# has FILE PATTERN / lacks FILE PATTERN: grep -E on a captured stderr, with the file in the message.
has() { grep -qE -- "$2" "$1" || fail "$1 lacks /$2/: $(head -c 2000 "$1")"; }
lacks() { if grep -qE -- "$2" "$1"; then fail "$1 has /$2/: $(grep -m3 -E -- "$2" "$1")"; fi; }

"$optigactl" sim create chip.state >/dev/null
unset OPTIGA_DEVICE OPTIGA_LOG_LEVEL
export OPTIGA_CONF=$tmp/optiga.conf
pin=Pin-73qZ-distinct
# conf LEVEL [PIN]: the configuration every front end reads.
conf() {
  printf 'device = sim:%s/chip.state\nlog_level = %s\n' "$tmp" "$1" >"$OPTIGA_CONF"
  if [ $# -gt 1 ]; then printf 'user_pin = %s\n' "$2" >>"$OPTIGA_CONF"; fi
}
P+=(-provider default)

echo "hello logging" >data
openssl dgst -sha256 -binary data >data.sha256

# --- debug: leveled lines from all three front ends, no APDUs ---------------------------------
conf debug
p11 -L >/dev/null 2>p11-debug.err
has p11-debug.err '^optiga-pkcs11: info: C_Initialize: slot 0 is sim:'
has p11-debug.err '^optiga-pkcs11: debug: opened the application: OPTIGA Trust M V3'
openssl genpkey "${P[@]}" -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1 -out f1.ref 2>prov-debug.err
openssl req -new "${P[@]}" -key optiga:0xE0F1 -subj /CN=logging -out x.csr 2>>prov-debug.err
openssl req -verify -in x.csr -noout 2>/dev/null
has prov-debug.err '^optiga-provider: debug: loaded'
has prov-debug.err '^optiga-provider: debug: generate a key in'
has prov-debug.err '^optiga-provider: debug: opened the application'
"$optigactl" info >/dev/null 2>ctl-debug.err
has ctl-debug.err '^optigactl: debug: opening sim:'
for f in p11-debug.err prov-debug.err ctl-debug.err; do lacks "$f" 'trace:|apdu'; done

# A refused call is logged with its CKR and reason.
if p11 --login --pin 1234 --keypairgen --key-type EC:prime256v1 --id E0E0 >/dev/null 2>p11-refused.err; then
  fail "generating a key into a certificate slot succeeded"
fi
has p11-refused.err '^optiga-pkcs11: debug: C_GenerateKeyPair: CKR_[A-Z_]+ \(0x[0-9A-F]+\): .+'

# --- the default (warn) and the overrides -------------------------------------------------------
conf warn
p11 -L >/dev/null 2>p11-warn.err
"$optigactl" info >/dev/null 2>ctl-warn.err
openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout -out pub.pem 2>prov-warn.err
for f in p11-warn.err ctl-warn.err prov-warn.err; do lacks "$f" ': (info|debug|trace): '; done
OPTIGA_LOG_LEVEL=debug p11 -L >/dev/null 2>p11-env.err
has p11-env.err '^optiga-pkcs11: debug: '
OPTIGA_LOG_LEVEL=debug openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout -out pub.pem 2>prov-env.err
has prov-env.err '^optiga-provider: debug: '
OPTIGA_LOG_LEVEL=debug "$optigactl" info >/dev/null 2>ctl-env.err
has ctl-env.err '^optigactl: debug: '
"$optigactl" -v info >/dev/null 2>ctl-v.err
has ctl-v.err '^optigactl: debug: '
lacks ctl-v.err 'trace:'
"$optigactl" -vv info >/dev/null 2>ctl-vv.err
has ctl-vv.err '^optigactl: trace: apdu > OpenApplication: '

# A bad $OPTIGA_LOG_LEVEL: optigactl stops (exit 2); the libraries warn and carry on.
rc=0
OPTIGA_LOG_LEVEL=loud "$optigactl" info >/dev/null 2>ctl-bad.err || rc=$?
[ "$rc" -eq 2 ] || fail "optigactl with OPTIGA_LOG_LEVEL=loud exited $rc, expected 2"
has ctl-bad.err "^optigactl: \\\$OPTIGA_LOG_LEVEL 'loud' is not one of error, warn, info, debug, trace"
OPTIGA_LOG_LEVEL=loud p11 -L >p11-bad.out 2>p11-bad.err
grep -q "token model        : Trust M V3 (emu)" p11-bad.out || fail "the module lost its slot over a log setting"
has p11-bad.err "^optiga-pkcs11: warn: \\\$OPTIGA_LOG_LEVEL 'loud' is not one of .*; using log level warn"
OPTIGA_LOG_LEVEL=loud openssl pkey "${P[@]}" -in optiga:0xE0F1 -pubout -out pub.pem 2>prov-bad.err
has prov-bad.err "^optiga-provider: warn: \\\$OPTIGA_LOG_LEVEL 'loud'"

# --- trace: APDUs, and no secret ----------------------------------------------------------------
conf trace "$pin"
p11 --login --pin "$pin" --keypairgen --key-type EC:prime256v1 --id E0F2 >/dev/null 2>p11-trace.err
p11 --login --pin "$pin" --sign --id E0F2 -m ECDSA -i data.sha256 -o sig.der 2>>p11-trace.err
if p11 --login --pin "$pin-wrong" -O >/dev/null 2>>p11-trace.err; then fail "a wrong PIN logged in"; fi
has p11-trace.err '^optiga-pkcs11: trace: apdu > GenKeyPair: '
has p11-trace.err '^optiga-pkcs11: trace: apdu > CalcSign: '
has p11-trace.err '^optiga-pkcs11: trace: apdu < CalcSign: 00 00 00 '
has p11-trace.err '^optiga-pkcs11: debug: C_Login: CKR_PIN_INCORRECT \(0xA0\)'

# The binding secret: a pattern that appears nowhere else, written and read back.
printf '\x5e\xc7\x3e\x7a\x11\x0b\x1d\x5e%.0s' 1 2 3 4 5 6 7 8 >binding.bin
"$optigactl" write 0xE140 --in binding.bin >/dev/null 2>ctl-trace.err
"$optigactl" read 0xE140 --out back.bin 2>>ctl-trace.err
cmp binding.bin back.bin
has ctl-trace.err '^optigactl: trace: apdu > SetDataObject 0xE140: 82 40 00 44 e1 40 00 00 <64 bytes redacted>$'
has ctl-trace.err '^optigactl: trace: apdu < GetDataObject 0xE140: 00 00 00 40 <64 bytes redacted>$'

openssl dgst "${P[@]}" -sha256 -sign optiga:0xE0F1 -out data.sig data 2>prov-trace.err
openssl dgst -sha256 -verify pub.pem -signature data.sig data >/dev/null
has prov-trace.err '^optiga-provider: trace: apdu > CalcSign: '

# Every stderr of this test against every secret: the PIN as text; the binding secret and the
# private keys the emulator holds (its state file, never the host) as raw bytes and as hex in any
# spelling, also in part.
python3 - "$pin" binding.bin chip.state ./*.err <<'PY'
import json, re, sys
pin, binding_path, state_path, logs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
secrets = {"binding secret": open(binding_path, "rb").read()}
for oid, obj in json.load(open(state_path))["objects"].items():
    key = bytes.fromhex(obj.get("key", ""))
    # PKCS#8 → ECPrivateKey: version 1, then the private scalar as an OCTET STRING.
    m = re.search(rb"\x02\x01\x01\x04([\x20\x30\x42])", key)
    if m:
        secrets["private key " + oid] = key[m.end():m.end() + m.group(1)[0]]
assert len(secrets) >= 4, f"expected the keys of E0F0, E0F1, E0F2 in the state: {sorted(secrets)}"
def spellings(chunk):
    h = chunk.hex()
    return [chunk, h.encode(), h.upper().encode(), " ".join(h[i:i + 2] for i in range(0, len(h), 2)).encode(),
            ":".join(h[i:i + 2] for i in range(0, len(h), 2)).encode()]
bad = []
for log in logs:
    text = open(log, "rb").read()
    if pin.encode() in text:
        bad.append(f"{log}: the PIN")
    for name, secret in secrets.items():
        for i in range(0, len(secret) - 7):
            if any(s in text or s in text.lower() for s in spellings(secret[i:i + 8])):
                bad.append(f"{log}: {name}")
                break
if bad:
    sys.exit("FAIL: secrets on stderr: " + ", ".join(bad))
print(f"checked {len(logs)} logs against the PIN and {len(secrets)} secrets")
PY
echo "logging levels: ok"
