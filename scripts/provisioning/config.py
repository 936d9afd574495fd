"""The two configuration-file formats of the seed tools, read into one dict.

1. The flat file of optiga_generate_csr (personalize-optiga-trust-x): {"CN", "O", "C", "ST"} (also
   "OU", "L"): the certificate subject only.
2. The file of optiga.py --csr (personalize-optiga-trust): {"csr_config": {"certificate_info",
   "key_info": {"algorithm_id": "ec", "parameters": {"curve", "slot"}}, "signature_info":
   {"parameters": {"hash_alg"}}}, "aws_iot_config": {"thing", "policy"}}.

Result keys: subject (list of (attribute, value)), and when given: curve, slot, hash, thing, policy.
"""
import json
import re

from .runner import ProvisionError

FLAT_KEYS = ("C", "ST", "L", "O", "OU", "CN")
INFO_KEYS = {"country_name": "C", "state_or_province_name": "ST", "locality_name": "L",
             "organization_name": "O", "organizational_unit_name": "OU", "common_name": "CN"}
CURVES = {"secp256r1": "P-256", "prime256v1": "P-256", "nistp256": "P-256", "p-256": "P-256",
          "secp384r1": "P-384", "nistp384": "P-384", "p-384": "P-384",
          "secp521r1": "P-521", "nistp521": "P-521", "p-521": "P-521",
          "brainpoolp256r1": "brainpoolP256r1", "brainpoolp384r1": "brainpoolP384r1",
          "brainpoolp512r1": "brainpoolP512r1"}
HASHES = ("sha256", "sha384", "sha512")


def normalize_curve(value, where):
    curve = CURVES.get(str(value).lower())
    if not curve:
        raise ProvisionError("%s: unknown curve '%s'" % (where, value),
                             hint="use secp256r1 (P-256), secp384r1 (P-384), secp521r1 or brainpoolP256r1/384r1/512r1")
    return curve


def normalize_slot(value, where):
    """The spelling only ("e0f1" becomes "0x" and upper case). Whether it is a key slot of the chip
    is optigactl's answer (`optigactl cert check` in each flow's checks, before anything changes)."""
    m = re.fullmatch(r"(?:0x)?([0-9a-fA-F]{4})", str(value).strip())
    if not m:
        raise ProvisionError("%s: '%s' is not a slot" % (where, value), hint="write a key slot such as 0xE0F1")
    return "0x" + m.group(1).upper()


def _string(value, where):
    if not isinstance(value, str) or not value.strip():
        raise ProvisionError("%s must be a non-empty string" % where)
    return value


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ProvisionError("cannot read configuration file %s: %s" % (path, e.strerror))
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise ProvisionError("configuration file %s is not valid JSON: %s" % (path, e),
                             hint="the accepted formats are described in docs/provisioning.md")
    if not isinstance(doc, dict):
        raise ProvisionError("configuration file %s must hold a JSON object" % path)
    if "csr_config" in doc or "aws_iot_config" in doc:
        return _load_structured(path, doc)
    return _load_flat(path, doc)


def _load_flat(path, doc):
    unknown = sorted(set(doc) - set(FLAT_KEYS))
    if unknown:
        raise ProvisionError("%s: unknown key(s) %s" % (path, ", ".join(unknown)),
                             hint="a flat file holds subject fields %s; the other format has csr_config "
                                  "and aws_iot_config" % "/".join(FLAT_KEYS))
    if "CN" not in doc:
        raise ProvisionError("%s: the subject needs a CN" % path)
    return {"subject": [(k, _string(doc[k], "%s: %s" % (path, k))) for k in FLAT_KEYS if k in doc],
            "format": "flat"}


def _obj(doc, key, where, required=True):
    v = doc.get(key)
    if v is None and not required:
        return {}
    if not isinstance(v, dict):
        raise ProvisionError("%s: %s must be a JSON object" % (where, key))
    return v


def _load_structured(path, doc):
    out = {"format": "csr_config"}
    unknown = sorted(set(doc) - {"csr_config", "aws_iot_config"})
    if unknown:
        raise ProvisionError("%s: unknown key(s) %s" % (path, ", ".join(unknown)))
    csr = _obj(doc, "csr_config", path)
    info = _obj(csr, "certificate_info", path + ": csr_config")
    bad = sorted(set(info) - set(INFO_KEYS))
    if bad:
        raise ProvisionError("%s: csr_config.certificate_info: unknown field(s) %s" % (path, ", ".join(bad)),
                             hint="known fields: " + ", ".join(INFO_KEYS))
    if "common_name" not in info:
        raise ProvisionError("%s: csr_config.certificate_info needs common_name" % path)
    by_attr = {INFO_KEYS[k]: _string(v, "%s: certificate_info.%s" % (path, k)) for k, v in info.items()}
    out["subject"] = [(a, by_attr[a]) for a in FLAT_KEYS if a in by_attr]

    key = _obj(csr, "key_info", path + ": csr_config", required=False)
    if key:
        alg = key.get("algorithm_id", "ec")
        if alg != "ec":
            raise ProvisionError("%s: key_info.algorithm_id '%s' is not supported" % (path, alg),
                                 hint="use \"ec\" (ECC keys)")
        params = _obj(key, "parameters", path + ": key_info", required=False)
        if "curve" in params:
            out["curve"] = normalize_curve(params["curve"], path + ": key_info.parameters.curve")
        if "slot" in params:
            out["slot"] = normalize_slot(params["slot"], path + ": key_info.parameters.slot")
    sig = _obj(csr, "signature_info", path + ": csr_config", required=False)
    if sig:
        alg = sig.get("algorithm_id", "ecdsa")
        if alg != "ecdsa":
            raise ProvisionError("%s: signature_info.algorithm_id '%s' is not supported (use ecdsa)" % (path, alg))
        h = _obj(sig, "parameters", path + ": signature_info", required=False).get("hash_alg")
        if h is not None:
            if h not in HASHES:
                raise ProvisionError("%s: signature_info.parameters.hash_alg '%s' is not one of %s"
                                     % (path, h, ", ".join(HASHES)))
            out["hash"] = h
    aws = _obj(doc, "aws_iot_config", path, required=False)
    for k in ("thing", "policy"):
        if k in aws:
            out[k] = _string(aws[k], "%s: aws_iot_config.%s" % (path, k))
    return out
