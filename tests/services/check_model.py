#!/usr/bin/env python3
"""Checks the local AWS IoT service against the botocore service model shipped with the aws CLI.

    check_model.py [path/to/iot/2015-05-28/service-2.json[.gz]]

Without an argument it looks in the usual places (Debian's awscli, python3-botocore, pip's
botocore). For every operation the service implements it checks the HTTP method, the request URI
and that every request member the service reads sits where the model puts it (URI, query string,
header or body). Exits 1 listing the differences.
"""
import glob
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aws_iot_local  # noqa: E402

# Request members the service reads, with where it reads them from.
READS = {
    "CreateCertificateFromCsr": {"certificateSigningRequest": "body", "setAsActive": "querystring:setAsActive"},
    "RegisterCertificateWithoutCA": {"certificatePem": "body", "status": "body"},
    "DescribeCertificate": {"certificateId": "uri:certificateId"},
    "UpdateCertificate": {"certificateId": "uri:certificateId", "newStatus": "querystring:newStatus"},
    "DeleteCertificate": {"certificateId": "uri:certificateId", "forceDelete": "querystring:forceDelete"},
    "CreateThing": {"thingName": "uri:thingName", "attributePayload": "body"},
    "DescribeThing": {"thingName": "uri:thingName"},
    "DeleteThing": {"thingName": "uri:thingName"},
    "AttachThingPrincipal": {"thingName": "uri:thingName", "principal": "header:x-amzn-principal"},
    "DetachThingPrincipal": {"thingName": "uri:thingName", "principal": "header:x-amzn-principal"},
    "ListThingPrincipals": {"thingName": "uri:thingName"},
    "ListPrincipalThings": {"principal": "header:x-amzn-principal"},
    "CreatePolicy": {"policyName": "uri:policyName", "policyDocument": "body"},
    "GetPolicy": {"policyName": "uri:policyName"},
    "DeletePolicy": {"policyName": "uri:policyName"},
    "AttachPolicy": {"policyName": "uri:policyName", "target": "body"},
    "DetachPolicy": {"policyName": "uri:policyName", "target": "body"},
    "ListAttachedPolicies": {"target": "uri:target"},
    "ListTargetsForPolicy": {"policyName": "uri:policyName"},
    "DescribeEndpoint": {"endpointType": "querystring:endpointType"},
}


def find_model():
    pats = ["/usr/lib/python3/dist-packages/awscli/botocore/data/iot/*/service-2.json*",
            "/usr/lib/python3/dist-packages/botocore/data/iot/*/service-2.json*",
            os.path.expanduser("~/.pyenv/versions/*/lib/python3*/site-packages/botocore/data/iot/*/service-2.json*"),
            "/usr/local/lib/python3*/dist-packages/botocore/data/iot/*/service-2.json*"]
    for pat in pats:
        found = sorted(glob.glob(pat))
        if found:
            return found[-1]
    return None


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return json.load(f)


def main(argv):
    path = argv[0] if argv else find_model()
    if not path:
        print("check_model: no botocore IoT model found (install awscli or python3-botocore)", file=sys.stderr)
        return 2
    model = load(path)
    shapes = model["shapes"]
    errors = []
    for name, method, uri, _ in aws_iot_local.OPERATIONS:
        op = model["operations"].get(name)
        if op is None:
            errors.append("%s: not in the model" % name)
            continue
        if op["http"]["method"] != method or op["http"]["requestUri"] != uri:
            errors.append("%s: service has %s %s, model has %s %s" % (name, method, uri, op["http"]["method"],
                                                                       op["http"]["requestUri"]))
        members = shapes[op["input"]["shape"]].get("members", {}) if "input" in op else {}
        for member, where in READS.get(name, {}).items():
            spec = members.get(member)
            if spec is None:
                errors.append("%s: model has no request member %s" % (name, member))
                continue
            loc = spec.get("location")
            actual = "body" if loc is None else "%s:%s" % (loc, spec.get("locationName"))
            if actual != where:
                errors.append("%s.%s: service reads %s, model says %s" % (name, member, where, actual))
        for e in op.get("errors", []):
            code = e["shape"]
            status = shapes[code].get("error", {}).get("httpStatusCode")
            if code in aws_iot_local.ERROR_STATUS and aws_iot_local.ERROR_STATUS[code] != status:
                errors.append("%s: status %s, model %s" % (code, aws_iot_local.ERROR_STATUS[code], status))
    errors = sorted(set(errors))
    for e in errors:
        print("check_model: " + e, file=sys.stderr)
    print("check_model: %d operations checked against %s: %s"
          % (len(aws_iot_local.OPERATIONS), path, "OK" if not errors else "%d differences" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
