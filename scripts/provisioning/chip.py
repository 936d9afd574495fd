"""The chip, through optigactl (key generation, public keys, object reads and writes) and openssl
(CSRs signed inside the chip through the optiga provider, certificate checks).

The rule this module keeps: a certificate is written into a slot only after its public key was
compared with the public key of the slot's key, and it is read back after writing.
"""
import os
import re

from .runner import ProvisionError, find_tool

PLACEHOLDER_PUBKEY = "<public key of the slot>"


def cert_slot_for(key_slot):
    """0xE0F0..3 -> 0xE0E0..3 (the paired certificate slot)."""
    n = int(key_slot, 16)
    if not 0xE0F0 <= n <= 0xE0F3:
        raise ProvisionError("%s has no paired certificate slot" % key_slot)
    return "0x%04X" % (n - 0x10)


def object_label(oid):
    return oid[2:].upper()


def unwrap_certificate(data):
    """DER of the first certificate in a chip certificate object (bare DER or 0xC0 TLS identity chain)."""
    if not data:
        return None
    if data[0] == 0x30:
        return data
    if data[0] == 0xC0 and len(data) >= 9:
        cert_len = int.from_bytes(data[6:9], "big")
        der = data[9:9 + cert_len]
        if len(der) == cert_len and der[:1] == b"\x30":
            return der
    raise ProvisionError("the certificate object holds data in an unknown format (first byte 0x%02X)" % data[0])


class Chip:
    def __init__(self, runner, device):
        self.runner = runner
        self.device = device
        self.optigactl = find_tool("OPTIGACTL", "tools/optigactl/optigactl", "optigactl")
        self.openssl = os.environ.get("OPENSSL", "openssl")
        self.provider_dir = find_provider_dir()

    # --- optigactl -------------------------------------------------------------------------
    def ctl(self, args, what, check=True, mutates=True):
        return self.runner.run([self.optigactl, "--device", self.device, *args], what, check=check, mutates=mutates)

    def uid(self):
        proc = self.ctl(["--json", "info"], "reading the chip's identity", mutates=False)
        if self.runner.dry_run:
            return "<chip UID>"
        import json
        return json.loads(proc.stdout)["uid"]

    def public_key_pem(self, key_slot):
        """The slot's public key (PEM), or None when the slot holds no key."""
        proc = self.ctl(["pubkey", key_slot], "reading the public key of %s" % key_slot, check=False, mutates=False)
        if self.runner.dry_run:
            return None
        if proc.returncode == 0:
            return proc.stdout.decode()
        err = proc.stderr.decode(errors="replace")
        if "no public key known" in err:
            return None
        raise ProvisionError("reading the public key of %s failed: %s" % (key_slot, err.strip()))

    def keygen(self, key_slot, curve):
        self.ctl(["keygen", key_slot, "--curve", curve, "--usage", "sign,auth"],
                 "generating a %s key in %s" % (curve, key_slot))
        pem = self.public_key_pem(key_slot)
        if pem is None and not self.runner.dry_run:
            raise ProvisionError("the chip reported a key in %s but it has no public key" % key_slot)
        return pem or PLACEHOLDER_PUBKEY

    def read_object(self, oid):
        proc = self.ctl(["read", oid], "reading %s" % oid, mutates=False)
        return bytes.fromhex(proc.stdout.decode().strip()) if proc.stdout.strip() else b""

    def certificate_der(self, cert_slot):
        return unwrap_certificate(self.read_object(cert_slot))

    def write_object(self, oid, data, tmp_path, what):
        if self.runner.dry_run:
            self.ctl(["write", oid, "--in", tmp_path], what)
            return
        with open(tmp_path, "wb") as f:
            f.write(data)
        self.ctl(["write", oid, "--in", tmp_path], what)
        if self.runner.dry_run:
            return
        back = self.read_object(oid)
        if back != data:
            raise ProvisionError("%s: %s reads back different bytes than were written" % (what, oid))

    def write_certificate(self, key_slot, cert_pem_path, workdir):
        """Checks that the certificate is for the key in key_slot, then writes it (DER) to the paired slot."""
        cert_slot = cert_slot_for(key_slot)
        if not self.runner.dry_run:
            chip_key = self.public_key_pem(key_slot)
            if chip_key is None:
                raise ProvisionError("%s holds no key, so no certificate is written to %s" % (key_slot, cert_slot))
            if spki_der(self.runner, self.openssl, chip_key, pubin=True) != cert_spki_der(
                    self.runner, self.openssl, cert_pem_path):
                raise ProvisionError(
                    "the certificate %s is for another key than the one in %s; nothing was written to %s"
                    % (cert_pem_path, key_slot, cert_slot),
                    hint="use the certificate issued for this chip's CSR, or the slot whose key it certifies")
        der = pem_file_to_der(self.runner, self.openssl, cert_pem_path)
        if len(der) > 1728:
            raise ProvisionError("the certificate is %d bytes; a certificate slot holds at most 1728" % len(der))
        self.write_object(cert_slot, der, os.path.join(workdir, "cert-to-chip.der"),
                          "writing the certificate into %s" % cert_slot)
        return cert_slot

    # --- openssl with the optiga provider -----------------------------------------------------
    def provider_args(self):
        return ["-provider-path", self.provider_dir, "-provider", "optiga", "-provider", "default"]

    def csr(self, key_slot, subject, digest, out_path):
        argv = [self.openssl, "req", "-new", *self.provider_args(), "-key", "optiga:" + key_slot,
                "-subj", subject_string(subject), "-" + digest, "-out", out_path]
        # The provider finds the chip through OPTIGA_DEVICE: the same device string as optigactl's.
        self.runner.run(argv, "signing the CSR inside the chip (openssl req with the optiga provider)",
                        extra_env={"OPTIGA_DEVICE": self.device})
        if not self.runner.dry_run:
            self.runner.run([self.openssl, "req", "-in", out_path, "-noout", "-verify"], "verifying the CSR",
                            mutates=False)
        return out_path


def find_provider_dir():
    explicit = os.environ.get("OPTIGA_PROVIDER_DIR")
    if explicit:
        return explicit
    build_dir = os.environ.get("OPTIGA_BUILD_DIR", os.path.join(os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.realpath(__file__)))), "build"))
    return os.path.join(build_dir, "ossl_provider")


def subject_string(subject):
    """openssl -subj text with '/', '+', '=' and '\\' in values escaped."""
    return "".join("/%s=%s" % (k, re.sub(r"([/+=\\])", r"\\\1", v)) for k, v in subject)


def pem_file_to_der(runner, openssl, path):
    if runner.dry_run:
        return b""
    return runner.run([openssl, "x509", "-in", path, "-outform", "DER"], "reading certificate %s" % path,
                      mutates=False).stdout


def cert_spki_der(runner, openssl, cert_path):
    pem = runner.run([openssl, "x509", "-in", cert_path, "-noout", "-pubkey"],
                     "reading the public key of certificate %s" % cert_path, mutates=False).stdout
    return spki_der(runner, openssl, pem.decode(), pubin=True)


def spki_der(runner, openssl, pem_text, pubin=True):
    args = [openssl, "pkey", "-pubin", "-outform", "DER"] if pubin else [openssl, "pkey", "-pubout", "-outform", "DER"]
    return runner.run(args, "decoding a public key", input_bytes=pem_text.encode(), mutates=False).stdout
