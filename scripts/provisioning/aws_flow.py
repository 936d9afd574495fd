"""`provision aws`: key on the chip, CSR signed on the chip, certificate from AWS IoT, checked and written
back, thing, least-privilege policy, endpoint, device configuration. Journaled; --rollback undoes
the cloud side.
"""
import os

from . import devconfig, inputs, policy
from .awscli import AwsCli
from .chip import Chip
from .journal import Journal, key_record, run_step
from .runner import ProvisionError

KEY_STEPS = ("keygen", "csr")  # what depends on the key alone, redone when --reuse-key takes a new one
CLOUD_STEPS = ("create-certificate", "write-certificate", "create-thing", "attach-thing-principal",
               "create-policy", "attach-policy", "describe-endpoint", "device-config")


def resolve_region(runner, opts):
    region = opts.region or os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region or runner.dry_run:
        return region or "<region>"
    argv = [os.environ.get("AWS_CLI", "aws")] + (["--profile", opts.profile] if opts.profile else []) + \
        ["configure", "get", "region"]
    proc = runner.run(argv, "reading the configured AWS region", check=False, mutates=False)
    region = proc.stdout.decode().strip()
    if not region:
        raise ProvisionError("no AWS region configured", code="NoRegion",
                             hint="pass --region (e.g. --region eu-central-1), set AWS_DEFAULT_REGION, or run "
                                  "`aws configure`")
    return region


class AwsProvisioning:
    KIND = "aws"

    def __init__(self, runner, opts, device, thing, policy_name):
        self.runner = runner
        self.opts = opts
        self.device = device
        self.thing = thing
        self.policy_name = policy_name
        self.slot = opts.slot
        self.cert_slot = None  # optigactl's answer (cert check), in preflight
        self.dir = os.path.join(opts.state_dir, thing)
        self.params = {"device": device, "slot": self.slot, "thing": thing, "policy": policy_name,
                       "region": opts.region, "curve": getattr(opts, "curve", None)}
        self.journal = Journal(os.path.join(self.dir, "journal.json"), self.KIND, self.params, dry_run=runner.dry_run)
        self.chip = Chip(runner, device)
        self.aws = None  # after the region is known

    # --- checks before anything changes ---------------------------------------------------------
    def preflight(self):
        j = self.journal
        if j.existing:
            j.check_params(self.params, ("device", "slot", "thing", "policy"))
            self.runner.say("resuming from journal %s (status: %s%s)" % (
                j.path, j.data.get("status"),
                ", stopped at step '%s'" % j.data["failed"]["step"] if j.data.get("failed") else ""))
        region = resolve_region(self.runner, self.opts)
        self.region = region
        self.aws = AwsCli(self.runner, self.opts.profile, region, self.opts.endpoint_url)
        if j.data.get("account") and j.data.get("region") == region:
            self.account = j.data["account"]  # checked by the run that wrote the journal
        else:
            ident = self.aws.call("sts", "get-caller-identity", [], "checking the AWS credentials",
                                  placeholder={"Account": "<account>"})
            self.account = ident.get("Account")
        template, source = policy.load_template(self.opts.policy_template)
        self.policy_doc = policy.render(template, region, self.account, self.thing, source)
        uid = self.chip.uid()
        if j.existing and j.data.get("uid") and j.data["uid"] != uid and not self.runner.dry_run:
            raise ProvisionError("journal %s belongs to the chip with UID %s, but %s is the chip %s"
                                 % (j.path, j.data["uid"], self.device, uid))
        self.uid = uid
        if not j.done("create-thing"):
            r = self.aws.iot("describe-thing", ["--thing-name", self.thing], "checking that thing %s is new"
                             % self.thing, tolerate=("ResourceNotFoundException",),
                             placeholder={"__error__": "ResourceNotFoundException"})
            if "__error__" not in r:
                raise ProvisionError("thing %s already exists in AWS IoT (%s); nothing was changed"
                                     % (self.thing, r.get("thingArn")),
                                     hint="choose another --thing, or delete the existing thing first")
        if not j.done("create-policy"):
            r = self.aws.iot("get-policy", ["--policy-name", self.policy_name], "checking that policy %s is new"
                             % self.policy_name, tolerate=("ResourceNotFoundException",),
                             placeholder={"__error__": "ResourceNotFoundException"})
            if "__error__" not in r:
                raise ProvisionError("policy %s already exists in AWS IoT; nothing was changed" % self.policy_name,
                                     hint="choose another --policy name (each thing gets its own policy)")
        # Which certificate slot belongs to the key slot, and what both hold: optigactl's answer.
        slots = self.chip.check(self.slot)
        if not self.runner.dry_run and slots["key_slot"] != self.slot:
            raise ProvisionError("%s is not a key slot" % self.slot, hint="use a key slot such as 0xE0F1")
        self.cert_slot = slots["certificate_slot"]
        if self.KIND == "fleet":
            if not self.runner.dry_run and slots["key"]:
                key = self.chip.key(self.slot)
                inputs.aws_curve(key and key.get("curve"), "the key in %s is" % self.slot)
            return
        key = self.chip.key(self.slot) if not self.runner.dry_run and (slots["key"] or j.done("keygen")) else None
        if not self.runner.dry_run and (key is not None or j.done("keygen")):
            if j.check_key(self.slot, key, self.opts.reuse_key, KEY_STEPS, "create-certificate"):
                self.runner.say("  the key in %s is not the one the journal recorded and AWS holds nothing for that "
                                "one: --reuse-key starts the key steps again with the key now in the slot" % self.slot)
        if not j.done("keygen"):
            if self.opts.reuse_key and not slots["key"] and not self.runner.dry_run:
                raise inputs.InputError("--reuse-key: %s holds no key" % self.slot)
            if not self.opts.reuse_key:
                if slots["key"]:
                    raise ProvisionError("key slot %s is occupied (it holds a key); nothing was changed" % self.slot,
                                         hint="use another --slot, or --reuse-key to get a certificate for that key")
                if slots["certificate"]:
                    raise ProvisionError("certificate slot %s is occupied; nothing was changed" % self.cert_slot,
                                         hint="use another --slot")
        if key is not None and (self.opts.reuse_key or j.done("keygen")):
            # The key whose certificate AWS is asked for: AWS signs NIST-curve keys only.
            inputs.aws_curve(key.get("curve"), "the key in %s is" % self.slot)

    # --- the steps ------------------------------------------------------------------------------
    def run(self):
        os.makedirs(self.dir, exist_ok=True) if not self.runner.dry_run else None
        self.preflight()
        j = self.journal
        if not self.runner.dry_run:
            j.data.update(uid=self.uid, account=self.account, region=self.region)
            j.set_status("running")
        csr_path = os.path.join(self.dir, "device.csr")
        cert_path = os.path.join(self.dir, "certificate.pem")

        def keygen():
            if self.opts.reuse_key:
                return key_record(self.chip.key(self.slot), generated=False)
            return key_record(self.chip.keygen(self.slot, self.opts.curve), generated=True)

        run_step(j, self.runner, "keygen", "key pair in %s (%s)%s" % (
            self.slot, self.opts.curve, ", existing key" if self.opts.reuse_key else ""), keygen)
        run_step(j, self.runner, "csr", "CSR signed inside the chip",
                 lambda: {"csr": self.chip.csr(self.slot, self.opts.subject, self.opts.hash, csr_path)})

        def create_cert():
            r = self.aws.iot("create-certificate-from-csr",
                             ["--certificate-signing-request", "file://" + csr_path, "--set-as-active"],
                             "aws iot create-certificate-from-csr",
                             placeholder={"certificateArn": "<certificateArn>", "certificateId": "<certificateId>",
                                          "certificatePem": ""})
            if not self.runner.dry_run:
                with open(cert_path, "w") as f:
                    f.write(r["certificatePem"])
            return {"certificateArn": r["certificateArn"], "certificateId": r["certificateId"],
                    "certificate": cert_path}

        cert = run_step(j, self.runner, "create-certificate", "certificate from AWS IoT for the CSR", create_cert)
        arn = cert["certificateArn"]
        run_step(j, self.runner, "write-certificate", "check it certifies %s's key, write it to %s"
                 % (self.slot, self.cert_slot),
                 lambda: {"oid": self.chip.write_certificate(self.slot, cert_path)})

        summary = self.register_thing(j, arn, self.cert_slot, cert_path)
        if not self.runner.dry_run:
            j.set_status("done")
        out = dict(summary)
        out.update({"status": "done" if not self.runner.dry_run else "dry-run", "thing": self.thing,
                    "thingArn": j.get("create-thing", "thingArn"), "policy": self.policy_name,
                    "certificateArn": arn, "certificateId": cert["certificateId"], "uid": self.uid,
                    "account": self.account, "region": self.region, "journal": j.path})
        return out

    # --- the cloud side shared with fleet mode ----------------------------------------------------
    def register_thing(self, j, arn, cert_slot, cert_path):
        """Thing, principal, least-privilege policy, endpoint and device configuration for the
        certificate `arn` (in `cert_slot` on the chip). Returns the device-config summary."""
        def create_thing():
            r = self.aws.iot("create-thing", ["--thing-name", self.thing], "aws iot create-thing",
                             placeholder={"thingArn": "<thingArn>", "thingId": "<thingId>"})
            return {"thingName": self.thing, "thingArn": r.get("thingArn"), "thingId": r.get("thingId")}

        run_step(j, self.runner, "create-thing", "thing %s" % self.thing, create_thing)
        run_step(j, self.runner, "attach-thing-principal", "certificate -> thing", lambda: self.aws.iot(
            "attach-thing-principal", ["--thing-name", self.thing, "--principal", arn],
            "aws iot attach-thing-principal") and {})

        def create_policy():
            r = self.aws.iot("create-policy", ["--policy-name", self.policy_name, "--policy-document",
                                               self.policy_doc], "aws iot create-policy",
                             placeholder={"policyArn": "<policyArn>"})
            return {"policyName": self.policy_name, "policyArn": r.get("policyArn")}

        run_step(j, self.runner, "create-policy", "least-privilege policy %s" % self.policy_name, create_policy)
        run_step(j, self.runner, "attach-policy", "policy -> certificate", lambda: self.aws.iot(
            "attach-policy", ["--policy-name", self.policy_name, "--target", arn], "aws iot attach-policy") and {})
        ep = run_step(j, self.runner, "describe-endpoint", "data endpoint (iot:Data-ATS)", lambda: {
            "endpointAddress": self.aws.iot("describe-endpoint", ["--endpoint-type", "iot:Data-ATS"],
                                            "aws iot describe-endpoint",
                                            placeholder={"endpointAddress": "<endpoint>"})["endpointAddress"]})
        summary = run_step(j, self.runner, "device-config", "device configuration in %s" % self.dir,
                           lambda: devconfig.write(
                               self.dir, device=self.device, key_slot=self.slot, key_label=self.key_label(),
                               token=self.chip.token_label(),
                               cert_slot=cert_slot,
                               cert_pem_path=cert_path, root_ca_path=self.root_ca_pem(),
                               endpoint=ep["endpointAddress"], port=self.opts.mqtt_port, thing=self.thing,
                               dry_run=self.runner.dry_run))
        return summary

    def root_ca_pem(self):
        """--root-ca as the PEM file the device configuration names (a binary one converted by openssl)."""
        if getattr(self.opts, "root_ca_is_pem", True):
            return self.opts.root_ca
        return inputs.pem_copy(self.runner, self.opts.root_ca, os.path.join(self.dir, "root-ca.pem"),
                               "converting --root-ca to PEM")

    def key_label(self):
        """The key's label as the PKCS#11 module presents it (optigactl pubkey's answer)."""
        key = self.chip.key(self.slot)
        return key["label"] if key else "<label of %s>" % self.slot

    # --- rollback -------------------------------------------------------------------------------
    def rollback(self):
        j = self.journal
        if not j.existing:
            raise ProvisionError("no journal for thing %s in %s: nothing to roll back" % (self.thing, self.dir))
        region = j.data.get("region") or resolve_region(self.runner, self.opts)
        self.aws = AwsCli(self.runner, self.opts.profile, region, self.opts.endpoint_url)
        arn = j.get("create-certificate", "certificateArn")
        cert_id = j.get("create-certificate", "certificateId")
        policy_name = j.get("create-policy", "policyName") or self.policy_name
        gone = ("ResourceNotFoundException",)
        undo = [
            ("attach-policy", "detach-policy", ["--policy-name", policy_name, "--target", arn]),
            ("create-policy", "delete-policy", ["--policy-name", policy_name]),
            ("attach-thing-principal", "detach-thing-principal", ["--thing-name", self.thing, "--principal", arn]),
            ("create-thing", "delete-thing", ["--thing-name", self.thing]),
        ]
        self.runner.say("rolling back the cloud side of %s (journal %s)" % (self.thing, j.path))
        for step, op, args in undo:
            if j.done(step):
                self.runner.say("  [undo] %-24s aws iot %s" % (step, op))
                self.aws.iot(op, args, "aws iot " + op, tolerate=gone)
                j.forget(step)
        if j.done("create-certificate"):
            self.runner.say("  [undo] %-24s aws iot update-certificate INACTIVE, delete-certificate" % "create-certificate")
            self.aws.iot("update-certificate", ["--certificate-id", cert_id, "--new-status", "INACTIVE"],
                         "aws iot update-certificate", tolerate=gone)
            self.aws.iot("delete-certificate", ["--certificate-id", cert_id], "aws iot delete-certificate",
                         tolerate=gone)
            j.forget("create-certificate")
        wrote = j.get("write-certificate", "oid") if j.done("write-certificate") else None
        for step in ("write-certificate", "describe-endpoint", "device-config"):
            if j.done(step):
                j.forget(step)
        j.data.pop("failed", None)
        j.set_status("rolled-back")
        chip = self.chip_after_rollback(wrote)
        self.runner.say("  rolled back: no thing, certificate or policy of this run is left in AWS IoT; " + chip["note"])
        return {"status": "rolled-back", "thing": self.thing, "journal": j.path, "chip": chip["note"],
                "chip_reached": chip["reached"]}

    def chip_after_rollback(self, wrote):
        """What the chip keeps. Rollback changes nothing on it (the key stays for the next run, which
        replaces a certificate written here); it only looks, when this run wrote a certificate, and a
        chip out of reach (unplugged, emulator gone) is said, not an error: the cloud side is undone."""
        if self.KIND == "fleet" or not wrote:
            return {"reached": None, "note": "nothing of this run was written to the chip; the key in %s is kept "
                                             "for a new run" % self.slot if self.KIND != "fleet" else
                    "nothing was written to the chip"}
        device = self.device or (self.journal.data.get("params") or {}).get("device")
        if not device:
            return {"reached": False, "note": "the journal names no chip, so %s was not checked: it may still hold "
                                              "the deleted certificate" % wrote}
        self.chip.device = device
        try:
            slots = self.chip.check(self.slot)
        except ProvisionError as e:
            return {"reached": False,
                    "note": "the chip %s could not be reached (%s), so nothing was checked on it: %s may still hold "
                            "the deleted certificate and the key in %s is kept; a new run with the same options "
                            "replaces that certificate" % (device, e.message.split(" failed: ")[-1], wrote,
                                                           self.slot)}
        if slots.get("certificate") and slots.get("match"):
            note = ("%s still holds the deleted certificate (it matches the key in %s); a new run with the same "
                    "options gets a new certificate for the same key and replaces it" % (wrote, self.slot))
        else:
            note = "%s no longer holds the certificate of this run; the key in %s is kept for a new run" % (
                wrote, self.slot)
        return {"reached": True, "note": note}
