#!/usr/bin/env python3
"""Checks an aws-iot-device-client configuration file against the rules the client applies before
it connects, written from its public source (awslabs/aws-iot-device-client):
  source/config/Config.cpp  PlainConfig::Validate, SecureElement::Validate, LoadFromJson
  source/config/Config.h    struct Permissions (the modes, compared for equality)
  source/SharedCrtResourceManager.cpp  locateCredentials (certificate, key or PKCS#11 library)
  source/util/FileUtils.cpp ValidateFilePermissions: mode must equal; with a fatal check the
                            file's owner must be the running user (or the user must be root)
Usage: check_device_client.py CONFIG.json   (exit 0: the client accepts it; 1: why not, on stderr)
"""
import json
import os
import stat
import sys

KEY_DIR, ROOT_CA_DIR, CERT_DIR, PKCS11_LIB_DIR = 0o700, 0o700, 0o700, 0o700
PRIVATE_KEY, PUBLIC_CERT, ROOT_CA, PKCS11_LIB_FILE = 0o600, 0o644, 0o644, 0o640
CONFIG_DIR, CONFIG_FILE = 0o745, 0o640  # the client only warns about these

errors = []
warnings = []


def mode_is(path, want, what, fatal=True):
    try:
        st = os.stat(path)
    except OSError as e:
        errors.append("%s %s: %s" % (what, path, e.strerror))
        return
    if fatal and os.getuid() != 0 and st.st_uid != os.getuid():
        errors.append("%s %s is owned by uid %d, not the user running the client" % (what, path, st.st_uid))
    have = stat.S_IMODE(st.st_mode)
    if have != want:
        (errors if fatal else warnings).append("%s %s has mode %03o, the client requires %03o" % (what, path, have, want))


def file_and_dir(path, file_mode, dir_mode, what):
    if not os.path.isabs(path):
        errors.append("%s %s is relative: the client resolves it from its own working directory" % (what, path))
    mode_is(os.path.dirname(os.path.abspath(path)) or "/", dir_mode, what + "'s directory")
    mode_is(path, file_mode, what)


def non_empty(doc, key, what):
    value = doc.get(key)
    if not isinstance(value, str) or not value:
        errors.append("%s (%s) is missing or empty" % (what, key))
        return None
    return value


def main(path):
    with open(path) as f:
        cfg = json.load(f)
    mode_is(os.path.dirname(os.path.abspath(path)), CONFIG_DIR, "configuration directory", fatal=False)
    mode_is(path, CONFIG_FILE, "configuration file", fatal=False)
    non_empty(cfg, "endpoint", "endpoint")
    non_empty(cfg, "thing-name", "thing name")
    cert = non_empty(cfg, "cert", "certificate")
    if cert:
        file_and_dir(cert, PUBLIC_CERT, CERT_DIR, "certificate")
    root_ca = cfg.get("root-ca")
    if root_ca and os.path.exists(root_ca):
        file_and_dir(root_ca, ROOT_CA, ROOT_CA_DIR, "root CA")
    elif root_ca:
        warnings.append("root CA %s does not exist: the client uses the default trust store" % root_ca)
    se = cfg.get("secure-element") or {}
    if se.get("enabled"):
        lib = non_empty(se, "pkcs11-lib", "PKCS#11 library path")
        non_empty(se, "secure-element-pin", "secure element PIN")
        if lib:
            file_and_dir(lib, PKCS11_LIB_FILE, PKCS11_LIB_DIR, "PKCS#11 library")
    else:
        key = non_empty(cfg, "key", "private key")
        if key:
            file_and_dir(key, PRIVATE_KEY, KEY_DIR, "private key")
    for w in warnings:
        print("warning: " + w, file=sys.stderr)
    for e in errors:
        print("refused: " + e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
