"""`provision azure`: device certificate (CN = device id) for the chip key signed by the customer's CA,
the proof-of-possession verification certificate, an optional server root CA as trust anchor in
0xE0E8, and the device connection string (HostName=...;DeviceId=...;x509=true).
"""
import os

from . import inputs
from .chip import Chip
from .journal import Journal, key_record, run_step
from .runner import ProvisionError

TRUST_ANCHOR = "0xE0E8"
# Everything made for the key; redone when --reuse-key takes a key other than the journal's.
KEY_STEPS = ("keygen", "csr", "sign-certificate", "verify-certificate", "write-certificate")


class AzureProvisioning:
    def __init__(self, runner, opts, device, device_id):
        self.runner = runner
        self.opts = opts
        self.device = device
        self.device_id = device_id
        self.slot = opts.slot
        self.cert_slot = None  # optigactl's answer (cert check), in preflight
        self.dir = os.path.join(opts.state_dir, "azure-" + device_id)
        self.params = {"device": device, "slot": self.slot, "device_id": device_id}
        self.journal = Journal(os.path.join(self.dir, "journal.json"), "azure", self.params, dry_run=runner.dry_run)
        self.chip = Chip(runner, device)

    def openssl(self, args, what):
        return self.runner.run([self.chip.openssl, *args], what)

    def preflight(self):
        """The files were checked by the command line (inputs.py); here: what needs the run's directory
        or the chip, still before anything changes on it."""
        self.ca_cert = self.opts.ca_cert
        if not getattr(self.opts, "ca_cert_is_pem", True):
            # `openssl verify -CAfile` reads PEM only: a binary CA certificate is converted once.
            self.ca_cert = inputs.pem_copy(self.runner, self.opts.ca_cert, os.path.join(self.dir, "ca-cert.pem"),
                                           "converting --ca-cert to PEM")
        if not self.runner.dry_run:
            # The CA key must belong to the CA certificate, or every device certificate is useless.
            a = self.runner.run([self.chip.openssl, "x509", "-in", self.ca_cert, "-noout", "-pubkey"],
                                "reading --ca-cert", mutates=False).stdout
            b = self.runner.run([self.chip.openssl, "pkey", "-in", self.opts.ca_key, "-pubout"],
                                "reading --ca-key", mutates=False).stdout
            if a != b:
                raise inputs.InputError("--ca-key is not the key of --ca-cert; nothing was changed")
        # Which certificate slot belongs to the key slot, and what both hold: optigactl's answer.
        slots = self.chip.check(self.slot)
        if not self.runner.dry_run and slots["key_slot"] != self.slot:
            raise ProvisionError("%s is not a key slot" % self.slot, hint="use a key slot such as 0xE0F1")
        self.cert_slot = slots["certificate_slot"]
        j = self.journal
        if j.existing:
            j.check_params(self.params, ("device", "slot", "device_id"))
        if not self.runner.dry_run and (slots["key"] or j.done("keygen")):
            key = self.chip.key(self.slot) if slots["key"] else None
            if j.check_key(self.slot, key, self.opts.reuse_key, KEY_STEPS):
                self.runner.say("  the key in %s is not the one the journal recorded: --reuse-key starts again with "
                                "the key now in the slot" % self.slot)
        if not j.done("keygen") and not self.runner.dry_run:
            if slots["key"] and not self.opts.reuse_key:
                raise ProvisionError("key slot %s is occupied; nothing was changed" % self.slot,
                                     hint="use another --slot, or --reuse-key for a certificate for that key")
            if not slots["key"] and self.opts.reuse_key:
                raise inputs.InputError("--reuse-key: %s holds no key" % self.slot)

    def run(self):
        if not self.runner.dry_run:
            os.makedirs(self.dir, exist_ok=True)
        self.preflight()
        j = self.journal
        csr = os.path.join(self.dir, "device.csr")
        cert = os.path.join(self.dir, "device-cert.pem")
        subject = [(k, v) for k, v in (self.opts.subject or []) if k != "CN"] + [("CN", self.device_id)]

        def keygen():
            if self.opts.reuse_key:
                return key_record(self.chip.key(self.slot), generated=False)
            return key_record(self.chip.keygen(self.slot, self.opts.curve), generated=True)

        run_step(j, self.runner, "keygen", "key pair in %s (%s)" % (self.slot, self.opts.curve), keygen)
        run_step(j, self.runner, "csr", "CSR with CN=%s signed inside the chip" % self.device_id,
                 lambda: {"csr": self.chip.csr(self.slot, subject, self.opts.hash, csr)})
        run_step(j, self.runner, "sign-certificate", "device certificate signed by %s" % self.ca_cert,
                 lambda: self.openssl(["x509", "-req", "-in", csr, "-CA", self.ca_cert, "-CAkey", self.opts.ca_key,
                                       "-CAcreateserial", "-CAserial", os.path.join(self.dir, "ca.srl"),
                                       "-days", str(self.opts.days), "-sha256", "-out", cert],
                                      "signing the device certificate") and {"certificate": cert})
        run_step(j, self.runner, "verify-certificate", "device certificate verifies against the CA",
                 lambda: self.openssl(["verify", "-CAfile", self.ca_cert, cert], "verifying the device "
                                      "certificate") and {})
        run_step(j, self.runner, "write-certificate", "check it certifies %s's key, write it to %s"
                 % (self.slot, self.cert_slot), lambda: {"oid": self.chip.write_certificate(self.slot, cert)})
        result = {"status": "done", "device_id": self.device_id, "certificate": cert, "key_slot": self.slot,
                  "certificate_slot": self.cert_slot, "journal": j.path}
        if self.opts.verification_code:
            result["verification_certificate"] = self.verification(self.opts.verification_code)
        if self.opts.server_root_ca:
            root = self.opts.server_root_ca

            def anchor():
                # optigactl refuses a certificate that does not fit the slot, before writing.
                return {"oid": self.chip.write_trust_anchor(TRUST_ANCHOR, root)}
            run_step(j, self.runner, "trust-anchor", "server root CA -> %s" % TRUST_ANCHOR, anchor)
            result["trust_anchor"] = TRUST_ANCHOR
        hub = self.opts.hub or "<your-hub>.azure-devices.net"
        conn = "HostName=%s;DeviceId=%s;x509=true" % (hub, self.device_id)
        if not self.runner.dry_run:
            with open(os.path.join(self.dir, "connection-string.txt"), "w") as f:
                f.write(conn + "\n")
            j.set_status("done")
        result["connection_string"] = conn
        self.runner.say("  connection string: " + conn)
        return result

    def verification(self, code):
        """Proof of possession: a certificate with CN = the hub's verification code, signed by the CA."""
        key = self.opts.ca_key
        csr = os.path.join(self.dir, "verification.csr")
        out = os.path.join(self.dir, "verification-cert.pem")
        self.runner.say("  [....] verification-cert        CN=%s signed by the CA" % code)
        self.openssl(["req", "-new", "-key", key, "-subj", "/CN=" + code.replace("/", "\\/"), "-out", csr],
                     "making the verification CSR")
        self.openssl(["x509", "-req", "-in", csr, "-CA", self.ca_cert, "-CAkey", key, "-CAserial",
                      os.path.join(self.dir, "ca.srl"), "-CAcreateserial", "-days", "30", "-sha256", "-out", out],
                     "signing the verification certificate")
        self.openssl(["verify", "-CAfile", self.ca_cert, out], "verifying the verification certificate")
        self.runner.say("  [done] verification-cert        %s" % out)
        return out
