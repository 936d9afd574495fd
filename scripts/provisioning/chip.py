"""The chip, through optigactl's documented interface only (docs/admin-cli.md: `--json` output and
exit codes, with the `reason` word of its error object), and openssl with the optiga provider (CSRs
signed inside the chip).

This module knows no chip rules: which certificate slot belongs to a key slot, how certificates are
stored, how large they may be and whether one certifies a key are optigactl's answers (core/token).
"""
import json
import os
import re

from . import paths
from .runner import ProvisionError, last_lines

PLACEHOLDER_PUBKEY = "<public key of the slot>"

# optigactl exit codes (docs/admin-cli.md "Exit codes").
EXIT_REFUSED, EXIT_USAGE, EXIT_NO_DEVICE = 1, 2, 3


class ChipRefused(ProvisionError):
    """optigactl said no; `reason` is the documented reason word (e.g. "wrong_key", "no_key")."""

    def __init__(self, message, reason, exit_code, hint=None):
        super().__init__(message, hint=hint, code=reason)
        self.reason = reason
        self.exit_code = exit_code


class Chip:
    def __init__(self, runner, device):
        self.runner = runner
        self.device = device
        self.optigactl = paths.optigactl()
        self.openssl = os.environ.get("OPENSSL", "openssl")

    # --- optigactl -------------------------------------------------------------------------
    def ctl(self, args, what, mutates=True):
        """Runs `optigactl --json ARGS`. Returns (exit code, parsed JSON or {}); None in dry-run."""
        proc = self.runner.run([self.optigactl, "--device", self.device, "--json", *args], what, check=False,
                               mutates=mutates)
        if self.runner.dry_run:
            return None
        try:
            doc = json.loads(proc.stdout) if proc.stdout.strip() else {}
        except ValueError:
            doc = {}
        return proc.returncode, (doc if isinstance(doc, dict) else {})

    def ctl_ok(self, args, what, mutates=True, tolerate=()):
        """The JSON answer of a successful command. A refusal whose reason is in `tolerate` returns
        None; any other failure raises ChipRefused with optigactl's message."""
        answer = self.ctl(args, what, mutates)
        if answer is None:
            return None
        rc, doc = answer
        if rc == 0:
            return doc
        err = doc.get("error") or {}
        if err.get("reason") in tolerate:
            return None
        raise failure(what, rc, err, self.device)

    def uid(self):
        doc = self.ctl_ok(["info"], "reading the chip's identity", mutates=False)
        return doc["uid"] if doc is not None else "<chip UID>"

    def token_label(self):
        """The chip's PKCS#11 token label as core/token names it; None in a dry run."""
        doc = self.ctl_ok(["info"], "reading the chip's token label", mutates=False)
        return doc.get("token_label") if doc is not None else None

    def key(self, key_slot):
        """The key in the slot ({"public_key_pem", "label", "curve", "usage", ...}), or None."""
        return self.ctl_ok(["pubkey", key_slot], "reading the public key of %s" % key_slot, mutates=False,
                           tolerate=("no_key",))

    def public_key_pem(self, key_slot):
        key = self.key(key_slot)
        return key["public_key_pem"] if key else None

    def keygen(self, key_slot, curve):
        """A new key in an empty slot, with the key usage every front end gives (optigactl's default).
        Returns optigactl's answer ({"public_key_pem", "label", "curve", ...})."""
        doc = self.ctl_ok(["keygen", key_slot, "--curve", curve], "generating a %s key in %s" % (curve, key_slot))
        return doc if doc is not None else {"public_key_pem": PLACEHOLDER_PUBKEY, "label": None, "curve": curve}

    def check(self, slot):
        """`optigactl cert check`: {"key_slot", "certificate_slot", "key", "certificate", "match"}."""
        what = "checking the certificate of %s against its key" % slot
        answer = self.ctl(["cert", "check", slot], what, mutates=False)
        if answer is None:
            return {"key_slot": slot, "certificate_slot": "<certificate slot of %s>" % slot, "key": False,
                    "certificate": False, "match": False}
        rc, doc = answer
        # Exit 0 (match) and 1 (no match) both carry the answer; anything else is a failure.
        if rc in (0, EXIT_REFUSED) and "match" in doc:
            return doc
        raise failure(what, rc, doc.get("error") or {}, self.device)

    def certificate_pem(self, slot):
        """The certificate stored for a key slot (its paired slot) or in a certificate slot, or None."""
        doc = self.ctl_ok(["cert", "read", slot], "reading the certificate of %s" % slot, mutates=False,
                          tolerate=("no_certificate",))
        return doc["certificate_pem"] if doc else None

    def write_certificate(self, key_slot, cert_path):
        """Writes the certificate for the key in key_slot into its paired slot and returns that slot.
        optigactl refuses a certificate for another key or one that does not fit before anything is
        written, and reads the written certificate back."""
        if not self.runner.dry_run and self.key(key_slot) is None:
            raise ProvisionError("%s holds no key, so no certificate is written for it" % key_slot)
        try:
            doc = self.ctl_ok(["cert", "write", key_slot, "--in", cert_path],
                              "writing the certificate for %s" % key_slot)
        except ChipRefused as e:
            if e.reason == "wrong_key":
                raise ProvisionError(
                    "the certificate %s is for another key than the one in %s; nothing was written to the chip"
                    % (cert_path, key_slot),
                    hint="use the certificate issued for this chip's CSR, or the slot whose key it certifies")
            raise
        if doc is None:
            return "<certificate slot of %s>" % key_slot
        if not self.check(key_slot)["match"]:
            raise ProvisionError("after writing, the certificate of %s does not certify its key" % key_slot)
        return doc["slot"]

    def write_trust_anchor(self, slot, cert_path):
        """A root CA certificate file into a trust-anchor slot; optigactl checks that it fits."""
        doc = self.ctl_ok(["cert", "write", slot, "--in", cert_path], "writing the trust anchor into %s" % slot)
        return doc["slot"] if doc else slot

    # --- openssl with the optiga provider -----------------------------------------------------
    def provider_args(self):
        return [*paths.provider_path_args(), "-provider", "optiga", "-provider", "default"]

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


def failure(what, exit_code, error, device):
    """ChipRefused for a failed optigactl command, from its exit code and JSON error object."""
    message = error.get("message") or "optigactl exited %d" % exit_code
    hint = None
    if exit_code == EXIT_NO_DEVICE:
        hint = "check the device string %s (optigactl probe finds chips on I2C and FT260)" % device
    return ChipRefused("%s failed: %s" % (what, last_lines(message, 1)), error.get("reason"), exit_code, hint=hint)


def subject_string(subject):
    """openssl -subj text with '/', '+', '=' and '\\' in values escaped."""
    return "".join("/%s=%s" % (k, re.sub(r"([/+=\\])", r"\\\1", v)) for k, v in subject)
