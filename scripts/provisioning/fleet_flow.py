"""`provision fleet`: the chip's factory certificate (0xE0E0, key 0xE0F0) registered in AWS IoT without a
CA (register-certificate-without-ca, multi-account registration), then thing, policy, endpoint and
device configuration like `provision aws`. Nothing is written to the chip.
"""
import os

from .aws_flow import AwsProvisioning
from .chip import cert_slot_for
from .journal import run_step
from .runner import ProvisionError


class FleetProvisioning(AwsProvisioning):
    KIND = "fleet"

    def run(self):
        if not self.runner.dry_run:
            os.makedirs(self.dir, exist_ok=True)
        self.preflight()
        j = self.journal
        if not self.runner.dry_run:
            j.data.update(uid=self.uid, account=self.account, region=self.region)
            j.set_status("running")
        cert_path = os.path.join(self.dir, "certificate.pem")
        cert_slot = cert_slot_for(self.slot)

        def read_cert():
            der = self.chip.certificate_der(cert_slot)
            if self.runner.dry_run:
                return {"certificate": cert_path}
            if not der:
                raise ProvisionError("%s holds no certificate to register" % cert_slot)
            pem = self.runner.run([self.chip.openssl, "x509", "-inform", "DER"], "decoding the factory certificate",
                                  input_bytes=der, mutates=False).stdout
            with open(cert_path, "wb") as f:
                f.write(pem)
            # The registered certificate must be the one for the chip's key, as for `aws`.
            from .chip import cert_spki_der, spki_der
            key = self.chip.public_key_pem(self.slot)
            if key is None or spki_der(self.runner, self.chip.openssl, key) != cert_spki_der(
                    self.runner, self.chip.openssl, cert_path):
                raise ProvisionError("the certificate in %s does not match the key in %s" % (cert_slot, self.slot))
            return {"certificate": cert_path}

        run_step(j, self.runner, "read-certificate", "factory certificate from %s" % cert_slot, read_cert)

        def register():
            r = self.aws.iot("register-certificate-without-ca", ["--certificate-pem", "file://" + cert_path,
                                                                 "--status", "ACTIVE"],
                             "aws iot register-certificate-without-ca",
                             placeholder={"certificateArn": "<certificateArn>", "certificateId": "<certificateId>"})
            return {"certificateArn": r["certificateArn"], "certificateId": r["certificateId"]}

        cert = run_step(j, self.runner, "create-certificate", "register it without a CA", register)
        arn = cert["certificateArn"]
        summary = self.register_thing(j, arn, cert_slot, cert_path)
        if not self.runner.dry_run:
            j.set_status("done")
        out = dict(summary)
        out.update({"status": "done" if not self.runner.dry_run else "dry-run", "thing": self.thing,
                    "policy": self.policy_name, "certificateArn": arn, "certificateId": cert["certificateId"],
                    "uid": self.uid, "journal": j.path})
        return out
