"""Command line: optiga-provision {aws,azure,fleet} [options]. Exit codes: 0 done, 1 a step failed (the
chip or the cloud refused), 2 bad usage, 3 no chip (docs/provisioning.md)."""
import argparse
import json
import os
import re
import sys

from . import __version__, config, inputs, paths
from .runner import ProvisionError, Runner, UsageError

DESCRIPTION = """Personalise OPTIGA Trust X / Trust M chips with standard tools (openssl with the optiga
provider, optigactl, the aws CLI). Every run keeps a journal in --state-dir: a re-run resumes after
the last finished step, and `aws --rollback` / `fleet --rollback` undo the cloud side.
See docs/provisioning.md."""


def common(p):
    g = p.add_argument_group("common options")
    g.add_argument("--device", "-d", action="append", default=[],
                   help="chip device string (repeat for a batch over several chips); default $OPTIGA_DEVICE")
    g.add_argument("--state-dir", default=os.environ.get("OPTIGA_PROVISION_DIR", "optiga-provision"),
                   help="where journals, CSRs, certificates and device configurations go (default ./optiga-provision)")
    g.add_argument("--dry-run", action="store_true", help="print every command that would run; change nothing")
    g.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    g.add_argument("--verbose", "-v", action="store_true", help="print every command as it runs")
    g.add_argument("--quiet", "-q", action="store_true", help="no progress lines")


def key_options(p, default_slot="0xE0F1"):
    p.add_argument("--config", help="seed configuration file: flat {\"CN\",\"O\",\"C\",\"ST\"} or csr_config + "
                                    "aws_iot_config (optiga.py format)")
    p.add_argument("--slot", help="key slot (default %s); its certificate goes to the paired certificate slot"
                                  % default_slot)
    p.add_argument("--curve", help="P-256 (default), P-384, P-521, brainpoolP256r1/384r1/512r1 (or secp256r1, ...)")
    p.add_argument("--hash", choices=config.HASHES, help="CSR signature hash (default: sha256, sha384 for P-384)")
    p.add_argument("--reuse-key", action="store_true", help="use the key already in the slot instead of a new one")


def aws_options(p):
    p.add_argument("--thing", help="thing name; in a batch a template with {n} (1, 2, ...) or {uid} (chip UID)")
    p.add_argument("--policy", help="policy name (default: THING-policy)")
    p.add_argument("--policy-template", help="policy JSON with ${region}, ${account}, ${thing} placeholders "
                                             "(default: least privilege, see docs/provisioning.md)")
    p.add_argument("--region", help="AWS region (default: the CLI's configured region)")
    p.add_argument("--profile", help="AWS CLI profile")
    p.add_argument("--endpoint-url", default=os.environ.get("OPTIGA_AWS_ENDPOINT_URL"),
                   help="AWS API endpoint (tests: the local service on 127.0.0.1)")
    p.add_argument("--root-ca", default="/etc/ssl/certs/Amazon_Root_CA_1.pem",
                   help="server root CA for the device configuration (default: Amazon Root CA 1)")
    p.add_argument("--mqtt-port", type=int, default=8883, help="MQTT port of the data endpoint (default 8883)")
    p.add_argument("--rollback", action="store_true", help="undo the cloud side recorded in the journal")


def parser():
    ap = argparse.ArgumentParser(prog=os.path.basename(sys.argv[0]) or "optiga-provision", description=DESCRIPTION)
    ap.add_argument("--version", action="version", version="%(prog)s " + __version__)
    sub = ap.add_subparsers(dest="command", required=True, metavar="{aws,azure,fleet}")
    a = sub.add_parser("aws", help="key + CSR on the chip, certificate from AWS IoT, thing, policy, device config")
    common(a)
    key_options(a)
    aws_options(a)
    z = sub.add_parser("azure", help="device certificate signed by your CA, verification certificate, trust anchor")
    common(z)
    key_options(z)
    z.add_argument("--device-id", help="Azure IoT device id (the certificate's CN)")
    z.add_argument("--ca-cert", required=True, help="your CA certificate (registered in the IoT hub)")
    z.add_argument("--ca-key", required=True, help="your CA private key")
    z.add_argument("--verification-code", help="make the proof-of-possession certificate for this code")
    z.add_argument("--server-root-ca", help="write this server root CA as trust anchor into 0xE0E8")
    z.add_argument("--hub", help="IoT hub host name, e.g. myhub.azure-devices.net (for the connection string)")
    z.add_argument("--days", type=int, default=365, help="validity of the device certificate (default 365)")
    f = sub.add_parser("fleet", help="register the factory certificate (of key 0xE0F0) without a CA; batch over chips")
    common(f)
    aws_options(f)
    f.add_argument("--slot", default="0xE0F0", help="key slot whose certificate is registered (default %(default)s)")
    return ap


def fill_key_options(opts, default_slot="0xE0F1"):
    """Options over the configuration file over defaults; validated."""
    cfg = config.load(opts.config) if getattr(opts, "config", None) else {}
    opts.cfg_format = cfg.get("format")
    opts.subject = cfg.get("subject")
    if opts.slot:
        opts.slot = config.normalize_slot(opts.slot, "--slot")
    else:
        opts.slot = cfg.get("slot", default_slot)
    opts.curve_source = "--curve" if opts.curve or "curve" not in cfg else \
        "--config %s: key_info.parameters.curve" % opts.config
    opts.curve = config.normalize_curve(opts.curve, "--curve") if opts.curve else cfg.get("curve", "P-256")
    opts.hash = opts.hash or cfg.get("hash") or {"P-384": "sha384", "P-521": "sha512",
                                                 "brainpoolP384r1": "sha384", "brainpoolP512r1": "sha512"
                                                 }.get(opts.curve, "sha256")
    return cfg


def devices(opts, needed=True):
    devs = opts.device or ([os.environ["OPTIGA_DEVICE"]] if os.environ.get("OPTIGA_DEVICE") else [])
    if not devs and paths.config_value("device"):
        devs = [paths.config_value("device")]  # the configuration file, as every front end reads it
    if not devs and needed:
        raise inputs.InputError("no chip given", hint="pass --device (e.g. --device i2c:/dev/i2c-1 or "
                                                   "--device sim:/path/chip.state), set OPTIGA_DEVICE or "
                                                   "device = in %s" % paths.config_file())
    return devs


def thing_name(template, n, uid):
    return inputs.thing_name(template.replace("{n}", str(n)).replace("{uid}", uid))


def policy_for(opts, cfg, thing):
    """The policy name (--policy, the configuration's, or THING-policy; {thing} filled in), checked
    against AWS's policy-name rules: a thing name with ':' cannot make one."""
    given = opts.policy or (cfg or {}).get("policy")
    name = (given or thing + "-policy").replace("{thing}", thing)
    return inputs.policy_name(name, thing, derived=not given or "{thing}" in given)


def check_aws_inputs(runner, opts):
    """Every AWS input that does not depend on the chip, before the first chip is touched."""
    if not opts.reuse_key:
        inputs.aws_curve(opts.curve, opts.curve_source)
    inputs.subject(opts.subject, "--config %s" % opts.config if opts.config else "the certificate subject")
    check_root_ca(runner, opts)


def check_root_ca(runner, opts):
    opts.root_ca_is_pem = inputs.ca_certificate(runner, opts.root_ca, "--root-ca")


def run_aws(runner, opts):
    cfg = fill_key_options(opts)
    from .aws_flow import AwsProvisioning
    from .chip import Chip
    devs = devices(opts, needed=not opts.rollback)
    template = opts.thing or cfg.get("thing")
    if not template:
        raise inputs.InputError("no thing name", hint="pass --thing NAME (or aws_iot_config.thing in --config)")
    check_batch_names(opts, devs, template)
    if opts.rollback:
        return rollback(runner, opts, devs, template, cfg, AwsProvisioning)
    check_aws_inputs(runner, opts)

    def names(n, uid):
        """Thing, policy and CSR subject of chip n, each checked against the cloud's and X.509's rules."""
        thing = thing_name(template, n, uid)
        policy = policy_for(opts, cfg, thing)
        subject = opts.subject
        if subject is None or (len(devs) > 1 and not cfg.get("subject")):
            subject = [("CN", thing)]
        inputs.subject(subject, "the certificate subject (CN = thing name %s)" % thing)
        return thing, policy, subject

    if "{uid}" not in template:  # every chip's names are known now: check them all before the first run
        for n in range(1, len(devs) + 1):
            names(n, "")

    def one(n, dev):
        thing, policy, subject = names(n, Chip(runner, dev).uid() if "{uid}" in template else "")
        subject_backup, opts.subject = opts.subject, subject
        try:
            return AwsProvisioning(runner, opts, dev, thing, policy).run()
        finally:
            opts.subject = subject_backup
    return batch(runner, opts, devs, one)


def run_fleet(runner, opts):
    from .fleet_flow import FleetProvisioning
    from .chip import Chip
    opts.slot = config.normalize_slot(opts.slot, "--slot")
    devs = devices(opts, needed=not opts.rollback)
    template = opts.thing or ("optiga-{uid}" if len(devs) > 1 or not opts.thing else opts.thing)
    check_batch_names(opts, devs, template)
    if opts.rollback:
        return rollback(runner, opts, devs, template, None, FleetProvisioning)
    check_root_ca(runner, opts)
    if "{uid}" not in template:
        for n in range(1, len(devs) + 1):
            policy_for(opts, None, thing_name(template, n, ""))

    def one(n, dev):
        uid = Chip(runner, dev).uid() if "{uid}" in template else ""
        thing = thing_name(template, n, uid[:32] if uid else "")
        return FleetProvisioning(runner, opts, dev, thing, policy_for(opts, None, thing)).run()
    return batch(runner, opts, devs, one)


def check_batch_names(opts, devs, template):
    if len(devs) > 1 and "{n}" not in template and "{uid}" not in template:
        raise inputs.InputError("a batch over %d chips needs a thing name template with {n} or {uid}" % len(devs),
                                hint="e.g. --thing 'sensor-{n}'")
    if len(devs) > 1 and opts.policy and "{thing}" not in opts.policy:
        raise inputs.InputError("in a batch each thing gets its own policy: put {thing} in --policy")


def rollback(runner, opts, devs, template, cfg, flow):
    """Undoes the cloud side of each run the template names. The journals hold everything to undo
    (thing, policy, certificate, region, chip): no chip is needed, not even for a {uid} template,
    whose thing is found by the device string recorded in the journal."""
    if not devs and ("{n}" in template or "{uid}" in template):
        raise inputs.InputError("--rollback of thing name template %s needs the chips' --device options" % template,
                                hint="or give the one thing's name: --thing NAME --rollback")

    def one(n, dev):
        dev = None if dev == "-" else dev
        if "{uid}" in template:
            thing = journal_thing(opts.state_dir, flow.KIND, template, dev)
        else:
            thing = inputs.thing_name(template.replace("{n}", str(n)))
        given = opts.policy or (cfg or {}).get("policy")
        policy = (given or thing + "-policy").replace("{thing}", thing)  # the journal's name wins
        return flow(runner, opts, dev, thing, policy).rollback()
    return batch(runner, opts, devs or ["-"], one)


def journal_thing(state_dir, kind, template, device):
    """The thing of the journal in state_dir written for `device` whose name fits the template."""
    pattern = re.compile(re.escape(template).replace(re.escape("{uid}"), "[0-9A-Fa-f]+").replace(re.escape("{n}"),
                                                                                                  "[0-9]+"))
    found = []
    for name in sorted(os.listdir(state_dir)) if os.path.isdir(state_dir) else []:
        path = os.path.join(state_dir, name, "journal.json")
        try:
            with open(path) as f:
                doc = json.load(f)
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("kind") == kind and (doc.get("params") or {}).get("device") == device \
                and pattern.fullmatch(name):
            found.append(name)
    if len(found) != 1:
        raise ProvisionError("%s journal for %s matching %s in %s"
                             % ("no" if not found else "more than one (%s)" % ", ".join(found), device, template,
                                state_dir),
                             hint="give the thing's name: --thing NAME --rollback")
    return found[0]


def run_azure(runner, opts):
    cfg = fill_key_options(opts)
    from .azure_flow import AzureProvisioning
    devs = devices(opts)
    if len(devs) > 1:
        raise inputs.InputError("azure provisions one chip per run (its device id is the certificate's CN)")
    device_id = opts.device_id or (dict(cfg.get("subject") or []).get("CN"))
    if not device_id:
        raise inputs.InputError("no device id", hint="pass --device-id (or common_name in --config)")
    inputs.azure_device_id(device_id)
    inputs.subject([(k, v) for k, v in (opts.subject or []) if k != "CN"] + [("CN", device_id)],
                   "the device certificate's subject (CN = device id)")
    opts.ca_cert_is_pem = inputs.ca_certificate(runner, opts.ca_cert, "--ca-cert")
    inputs.readable(opts.ca_key, "--ca-key")
    if opts.server_root_ca:
        inputs.ca_certificate(runner, opts.server_root_ca, "--server-root-ca")
    if opts.days <= 0:
        raise inputs.InputError("--days %d: the device certificate needs a validity of at least one day" % opts.days)
    return AzureProvisioning(runner, opts, devs[0], device_id).run()


def batch(runner, opts, devs, one):
    """Runs one(n, device) for every chip; one progress line each and a summary table for a batch."""
    if len(devs) == 1:
        return one(1, devs[0])
    results = []
    for n, dev in enumerate(devs, 1):
        runner.say("[%d/%d] %s" % (n, len(devs), dev))
        try:
            r = one(n, dev)
            results.append({"device": dev, "status": r.get("status", "done"), "thing": r.get("thing"),
                            "certificateId": r.get("certificateId"), "result": r})
            line = "ok      %s -> thing %s" % (dev, r.get("thing"))
        except ProvisionError as e:
            results.append({"device": dev, "status": "failed", "error": e.message})
            line = "FAILED  %s: %s" % (dev, e.message)
        except Exception as e:  # noqa: BLE001 - one chip's bug or unusable file must not stop the batch
            message = "internal error (%s: %s)" % (type(e).__name__, e)
            if isinstance(e, OSError):
                message = "cannot use %s: %s" % (e.filename or "a file", e.strerror or e)
            results.append({"device": dev, "status": "failed", "error": message})
            line = "FAILED  %s: %s" % (dev, message)
        print("[%d/%d] %s" % (n, len(devs), line), file=sys.stderr, flush=True)
    failed = [r for r in results if r["status"] == "failed"]
    if not opts.quiet:
        w = max(len(r["device"]) for r in results)
        print("\n%-4s %-*s  %-12s %-40s %s" % ("#", w, "device", "status", "thing", "certificate"), file=sys.stderr)
        for n, r in enumerate(results, 1):
            print("%-4d %-*s  %-12s %-40s %s" % (n, w, r["device"], r["status"], r.get("thing") or "-",
                                                (r.get("certificateId") or r.get("error") or "-")[:64]),
                  file=sys.stderr)
        print("%d of %d chips done, %d failed" % (len(results) - len(failed), len(results), len(failed)),
              file=sys.stderr)
    out = {"status": "failed" if failed else "done", "chips": results}
    if failed:
        raise BatchFailed(out)
    return out


def exit_code(error):
    """2 for usage, 3 when optigactl found no chip, else 1 (a step was refused)."""
    if isinstance(error, UsageError):
        return 2
    return 3 if getattr(error, "exit_code", None) == 3 else 1


class BatchFailed(Exception):
    def __init__(self, summary):
        super().__init__("batch failed")
        self.summary = summary


EXIT_DONE, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv):
    """Every failure ends here as one clear message and a documented exit status, never a traceback."""
    opts = parser().parse_args(argv)  # bad options: argparse's message, exit 2
    try:
        return run(opts)
    except KeyboardInterrupt:
        print("provision: interrupted; re-run the same command to resume from the journal", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_FAILED  # the reader of our output went away; there is no one left to tell


def run(opts):
    runner = Runner(dry_run=opts.dry_run, verbose=opts.verbose, quiet=opts.quiet)
    try:
        if opts.dry_run:
            runner.say("dry run: printing the commands; nothing is changed")
        result = {"aws": run_aws, "azure": run_azure, "fleet": run_fleet}[opts.command](runner, opts)
    except BatchFailed as e:
        if opts.json:
            print(json.dumps(e.summary, indent=2))
        return EXIT_FAILED
    except ProvisionError as e:
        return report_failure(opts, e.message, e.hint, e.code, exit_code(e))
    except OSError as e:
        # A file or directory of the run (--state-dir, a journal, an output file) could not be used.
        where = " %s" % e.filename if getattr(e, "filename", None) else ""
        return report_failure(opts, "cannot use%s: %s" % (where, e.strerror or e), "check --state-dir and the paths given",
                      "os-error", EXIT_FAILED)
    except Exception as e:  # noqa: BLE001 - the last net: a bug must still end in a clear message
        return report_failure(opts, "internal error (%s: %s)" % (type(e).__name__, e),
                      "this is a bug in provision; the journal in --state-dir is intact, so re-running resumes; "
                      "please report the command with --verbose output", "internal", EXIT_FAILED)
    if opts.json:
        print(json.dumps(result, indent=2))
    elif not opts.quiet and result.get("status") == "done" and "thing" in result:
        print("provisioned %s: certificate %s on the chip in %s; configuration in %s"
              % (result["thing"], result.get("certificateId", ""), result.get("certificate_slot", ""),
                 os.path.dirname(result.get("journal", ""))), file=sys.stderr)
    return EXIT_DONE


def report_failure(opts, message, hint, code, status):
    print("provision %s: error: %s%s" % (opts.command, message, "\n  hint: " + hint if hint else ""),
          file=sys.stderr)
    if opts.json:
        print(json.dumps({"status": "failed", "error": message, "code": code}, indent=2))
    return status
