#!/usr/bin/env python3
"""A throw-away test CA driven through the openssl command line (no key ever leaves its directory).

    testca.py init DIR [--cn NAME]            CA key + self-signed certificate: DIR/ca.key, DIR/ca.pem
    testca.py server DIR NAME                 server key + certificate for localhost/127.0.0.1:
                                              DIR/NAME.key, DIR/NAME.pem
    testca.py sign DIR CSR OUT [--days N]     a client certificate for a CSR (subject kept)

Used by the local AWS IoT service (tests/services/aws_iot_local.py), the mosquitto broker helper
and the shell tests. Test use only: the CA key is a plain PEM file.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def _openssl(*args, stdin=None):
    proc = subprocess.run(["openssl", *args], input=stdin, capture_output=True)
    if proc.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (args[0], proc.stderr.decode(errors="replace").strip()))
    return proc.stdout


def init(ca_dir, cn="Local Test IoT CA"):
    os.makedirs(ca_dir, exist_ok=True)
    key = os.path.join(ca_dir, "ca.key")
    cert = os.path.join(ca_dir, "ca.pem")
    if os.path.exists(key) and os.path.exists(cert):
        return key, cert
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
    os.chmod(key, 0o600)
    _openssl("req", "-new", "-x509", "-key", key, "-out", cert, "-days", "3650", "-sha256",
             "-subj", "/O=optiga-host tests/CN=" + cn,
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    with open(os.path.join(ca_dir, "serial"), "w") as f:
        f.write("1000\n")
    return key, cert


def _ext_file(text):
    f = tempfile.NamedTemporaryFile("w", suffix=".cnf", delete=False)
    f.write(text)
    f.close()
    return f.name


def sign_csr(ca_dir, csr_path, out_path, days=365, extensions=None):
    """Signs CSR with the CA, keeping its subject. Raises ValueError for a CSR that does not verify."""
    proc = subprocess.run(["openssl", "req", "-in", csr_path, "-noout", "-verify"], capture_output=True)
    if proc.returncode != 0:
        raise ValueError("the CSR does not parse or its signature does not verify")
    ext = _ext_file(extensions or (
        "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"))
    try:
        _openssl("x509", "-req", "-in", csr_path, "-CA", os.path.join(ca_dir, "ca.pem"),
                 "-CAkey", os.path.join(ca_dir, "ca.key"), "-CAserial", os.path.join(ca_dir, "serial"),
                 "-CAcreateserial", "-days", str(days), "-sha256", "-extfile", ext, "-extensions", "v3",
                 "-out", out_path)
    finally:
        os.unlink(ext)
    return out_path


def server(ca_dir, name):
    """A server certificate for localhost; it also allows client auth so test observers (mosquitto_sub)
    can use it to connect to a broker that requires client certificates."""
    key = os.path.join(ca_dir, name + ".key")
    cert = os.path.join(ca_dir, name + ".pem")
    csr = os.path.join(ca_dir, name + ".csr")
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key)
    os.chmod(key, 0o600)
    _openssl("req", "-new", "-key", key, "-subj", "/CN=localhost", "-out", csr)
    sign_csr(ca_dir, csr, cert, extensions=(
        "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"))
    os.unlink(csr)
    return key, cert


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("init")
    a.add_argument("dir")
    a.add_argument("--cn", default="Local Test IoT CA")
    a = sub.add_parser("server")
    a.add_argument("dir")
    a.add_argument("name")
    a = sub.add_parser("sign")
    a.add_argument("dir")
    a.add_argument("csr")
    a.add_argument("out")
    a.add_argument("--days", type=int, default=365)
    args = p.parse_args(argv)
    try:
        if args.cmd == "init":
            print(init(args.dir, args.cn)[1])
        elif args.cmd == "server":
            print(server(args.dir, args.name)[1])
        else:
            print(sign_csr(args.dir, args.csr, args.out, args.days))
    except (RuntimeError, ValueError) as e:
        print("testca: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
