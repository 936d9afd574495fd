"""`provision fleet`: the chip's factory certificate (the certificate of key 0xE0F0) registered in AWS IoT
without a CA (register-certificate-without-ca, multi-account registration), then thing, policy, endpoint and
device configuration like `provision aws`. Nothing is written to the chip.
"""
import os

from .aws_flow import AwsProvisioning
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
        cert_slot = self.cert_slot  # optigactl's answer, from preflight

        def read_cert():
            # The registered certificate must be the one for the chip's key, as for `aws`.
            if not self.runner.dry_run:
                slots = self.chip.check(self.slot)
                if not slots["certificate"]:
                    raise ProvisionError("%s holds no certificate to register" % cert_slot)
                if not slots["match"]:
                    raise ProvisionError("the certificate in %s does not match the key in %s" % (cert_slot, self.slot))
            pem = self.chip.certificate_pem(self.slot)
            if not self.runner.dry_run:
                with open(cert_path, "w") as f:
                    f.write(pem)
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
