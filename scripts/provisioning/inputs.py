"""Checks of the user's inputs, all made before anything changes on the chip or in the cloud.

Names follow the cloud's published rules (AWS IoT API reference: thing names [a-zA-Z0-9:_-], policy
names [\\w+=,.@-], 1 to 128 characters each); subject fields follow the X.509 upper bounds of RFC 5280
(ub-common-name 64, ...), which openssl enforces only once the key exists; curves follow what the
cloud signs (AWS IoT: NIST P-256, P-384, P-521 only). Certificate files are read by openssl (PEM or
binary), never parsed here. A refused input is an InputError: exit status 2, nothing changed.
"""
import re

from .runner import ProvisionError, UsageError

THING_RE = re.compile(r"[a-zA-Z0-9:_-]{1,128}")
POLICY_RE = re.compile(r"[\w+=,.@-]{1,128}", re.ASCII)
# Azure IoT Hub device ids: up to 128 ASCII letters, digits and - . + % _ # * ? ! ( ) , : = @ $ '
AZURE_DEVICE_ID_RE = re.compile(r"[A-Za-z0-9\-.+%_#*?!(),:=@$']{1,128}")
# RFC 5280 appendix A upper bounds (characters) of the subject attributes the seeds' files name.
SUBJECT_BOUNDS = {"CN": 64, "O": 64, "OU": 64, "L": 128, "ST": 128}
AWS_CURVES = ("P-256", "P-384", "P-521")
PLACEHOLDER = "<"  # dry-run stand-ins such as "<chip UID>" are not checked


class InputError(UsageError):
    """An input refused before anything changed (exit status 2)."""


def thing_name(name):
    if PLACEHOLDER in name:
        return name
    if not THING_RE.fullmatch(name):
        raise InputError("thing name '%s' is not valid for AWS IoT (%d characters)" % (name, len(name)),
                         hint="use 1-128 letters, digits, ':', '_' or '-'")
    return name


def policy_name(name, thing=None, derived=False):
    """`derived`: the name came from the thing name (THING-policy or --policy with {thing})."""
    if PLACEHOLDER in name:
        return name
    if POLICY_RE.fullmatch(name):
        return name
    bad = sorted(set(c for c in name if not POLICY_RE.fullmatch(c)))
    why = ("%d characters" % len(name)) if not bad else "character(s) %s" % " ".join(repr(c) for c in bad)
    source = " (made from thing name '%s')" % thing if derived and thing else ""
    raise InputError("policy name '%s'%s is not valid for AWS IoT: %s" % (name, source, why),
                     hint="policy names take 1-128 letters, digits and _ + = , . @ - (no ':'); "
                          "pass --policy NAME" + (" or a thing name without ':'" if ":" in name else ""))


def subject(fields, where="the certificate subject"):
    """The CSR subject fits X.509's bounds; openssl would refuse it only after the key was made."""
    for attr, value in fields or []:
        if PLACEHOLDER in value:
            continue
        bound = SUBJECT_BOUNDS.get(attr)
        if bound and len(value) > bound:
            hint = "X.509 (RFC 5280) allows at most %d characters in %s" % (bound, attr)
            if attr == "CN":
                hint += "; the CN is the thing name (or device id) unless --config gives one: use a shorter name"
            raise InputError("%s: %s '%s' has %d characters, more than %d" % (where, attr, value, len(value), bound),
                             hint=hint)
        if attr == "C" and not re.fullmatch(r"[A-Za-z]{2}", value):
            raise InputError("%s: C '%s' is not a two-letter country code" % (where, value), hint="e.g. DE")
    return fields


def aws_curve(curve, where="--curve"):
    """AWS IoT signs (and registers) certificates for NIST P-256/P-384/P-521 and RSA >= 2048 keys only."""
    if curve and PLACEHOLDER not in curve and curve not in AWS_CURVES:
        raise InputError("%s %s: AWS IoT does not accept %s keys; nothing was changed" % (where, curve, curve),
                         hint="AWS IoT takes NIST P-256, P-384 or P-521 keys (and RSA of 2048 bits or more): "
                              "use --curve P-256")
    return curve


def azure_device_id(device_id):
    if not AZURE_DEVICE_ID_RE.fullmatch(device_id):
        raise InputError("device id '%s' is not valid for Azure IoT Hub" % device_id,
                         hint="use up to 128 ASCII letters, digits and - . + %% _ # * ? ! ( ) , : = @ $ '")
    return device_id


def readable(path, option):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise InputError("%s %s: cannot read it (%s)" % (option, path, e.strerror or e))
    if not data.strip():
        raise InputError("%s %s: the file is empty" % (option, path))
    return data


def ca_certificate(runner, path, option):
    """A readable CA certificate (basicConstraints CA:TRUE, not expired), PEM or binary, in `path`.
    Returns True when the file is PEM text (usable as it is), False when it must be converted."""
    data = readable(path, option)
    proc = runner.inspect([runner.openssl, "x509", "-in", path, "-noout", "-ext", "basicConstraints"],
                          "reading %s" % option)
    if proc.returncode != 0:
        raise InputError("%s %s: not a certificate openssl can read (PEM or binary X.509)" % (option, path),
                         hint="give the CA's certificate file, e.g. /etc/ssl/certs/Amazon_Root_CA_1.pem")
    if not re.search(r"\bCA:TRUE\b", proc.stdout.decode(errors="replace")):
        raise InputError("%s %s: not a CA certificate (its basicConstraints do not say CA:TRUE)" % (option, path),
                         hint="give the certificate of the certificate authority, not a device or server certificate")
    if runner.inspect([runner.openssl, "x509", "-in", path, "-noout", "-checkend", "0"],
                      "checking the validity of %s" % option).returncode != 0:
        raise InputError("%s %s: the CA certificate has expired" % (option, path))
    return b"-----BEGIN CERTIFICATE-----" in data


def pem_copy(runner, path, out_path, what):
    """The first certificate of `path` (PEM or binary) as PEM in out_path (openssl converts)."""
    runner.run([runner.openssl, "x509", "-in", path, "-out", out_path], what)
    return out_path
