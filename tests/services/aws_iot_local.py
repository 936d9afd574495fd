#!/usr/bin/env python3
"""A local stand-in for the AWS IoT control plane (and STS GetCallerIdentity), for tests and the demo.

The real aws CLI talks to it with `aws --endpoint-url http://127.0.0.1:PORT iot ...`; request
signatures are not checked. Operations use the HTTP method, request URI, parameter locations and
response members of the AWS IoT REST API (botocore model iot/2015-05-28, checked by
tests/services/check_model.py); errors use AWS's rest-json shape: the status code of the
exception, header x-amzn-ErrorType and a JSON body {"message": ...}.

Certificates are issued by a local test CA (tests/services/testca.py).

    aws_iot_local.py --ca-dir DIR [--port 0] [--port-file F] [--pid-file F] [--lifetime 600]
                     [--endpoint-address localhost] [--account 123456789012] [--region us-east-1]

Listens on 127.0.0.1 only and exits after --lifetime seconds. Failure injection:
  * env AWS_IOT_LOCAL_FAIL="CreateThing,AttachPolicy:2"  (operation[:count], count default 1)
  * POST /_control/fail {"operation": "CreateThing", "count": 1,
                         "error": "ServiceUnavailableException", "message": "..."}
  * POST /_control/reset   (clears injected failures)
  * GET  /_control/state   (things, certificates, policies and attachments, as JSON)
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testca  # noqa: E402

# Status codes of the exceptions, as in the botocore model.
ERROR_STATUS = {
    "InvalidRequestException": 400, "MalformedPolicyException": 400, "CertificateValidationException": 400,
    "UnauthorizedException": 401, "ResourceNotFoundException": 404, "CertificateStateException": 406,
    "ResourceAlreadyExistsException": 409, "DeleteConflictException": 409, "VersionConflictException": 409,
    "LimitExceededException": 410, "ThrottlingException": 400, "InternalFailureException": 500,
    "ServiceUnavailableException": 503,
}


class AwsError(Exception):
    def __init__(self, code, message, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def now():
    return time.time()


class State:
    """All registry data, guarded by one lock."""

    def __init__(self, ca_dir, region, account, endpoint):
        self.lock = threading.Lock()
        self.ca_dir = ca_dir
        self.region = region
        self.account = account
        self.endpoint = endpoint
        self.things = {}        # name -> {thingName, thingArn, thingId, attributes, version, principals:set}
        self.certs = {}         # id -> {certificateArn, certificateId, status, certificatePem, creationDate, mode}
        self.policies = {}      # name -> {policyName, policyArn, policyDocument, version, creationDate}
        self.policy_targets = {}  # policy name -> set of target ARNs
        self.failures = {}      # operation -> [count, error, message]
        for item in filter(None, os.environ.get("AWS_IOT_LOCAL_FAIL", "").split(",")):
            op, _, count = item.partition(":")
            self.failures[op.strip()] = [int(count or 1), "ServiceUnavailableException",
                                         "injected failure (AWS_IOT_LOCAL_FAIL)"]

    def arn(self, kind, name):
        return "arn:aws:iot:%s:%s:%s/%s" % (self.region, self.account, kind, name)

    def check_failure(self, op):
        f = self.failures.get(op)
        if f and f[0] > 0:
            f[0] -= 1
            raise AwsError(f[1], f[2])

    def snapshot(self):
        return {
            "things": {n: {"thingArn": t["thingArn"], "principals": sorted(t["principals"])}
                       for n, t in self.things.items()},
            "certificates": {i: {"certificateArn": c["certificateArn"], "status": c["status"]}
                             for i, c in self.certs.items()},
            "policies": {n: {"policyArn": p["policyArn"], "targets": sorted(self.policy_targets.get(n, ()))}
                         for n, p in self.policies.items()},
            "failures": {op: f[0] for op, f in self.failures.items() if f[0] > 0},
        }

    # --- helpers ---------------------------------------------------------------------------
    def thing(self, name):
        t = self.things.get(name)
        if t is None:
            raise AwsError("ResourceNotFoundException", "Thing %s cannot be found." % name)
        return t

    def cert_by_arn(self, arn):
        m = re.fullmatch(r"arn:aws:iot:[^:]+:[0-9]+:cert/([0-9a-f]{64})", arn or "")
        if not m or m.group(1) not in self.certs:
            raise AwsError("ResourceNotFoundException", "The certificate given in the principal does not exist.")
        return self.certs[m.group(1)]

    def cert(self, cert_id):
        c = self.certs.get(cert_id)
        if c is None:
            raise AwsError("ResourceNotFoundException", "The certificate %s does not exist." % cert_id)
        return c

    def policy(self, name):
        p = self.policies.get(name)
        if p is None:
            raise AwsError("ResourceNotFoundException", "Policy not found")
        return p

    def add_cert(self, pem, status, mode):
        der = pem_to_der(pem)
        cert_id = hashlib.sha256(der).hexdigest()
        if cert_id in self.certs:
            raise AwsError("ResourceAlreadyExistsException", "The certificate is already provisioned or registered",
                           resourceId=cert_id, resourceArn=self.arn("cert", cert_id))
        c = {"certificateArn": self.arn("cert", cert_id), "certificateId": cert_id, "status": status,
             "certificatePem": pem, "creationDate": now(), "certificateMode": mode}
        self.certs[cert_id] = c
        return c


def pem_to_der(pem):
    proc = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem.encode(), capture_output=True)
    if proc.returncode != 0:
        raise AwsError("CertificateValidationException", "The certificate is not a valid X.509 certificate.")
    return proc.stdout


def check_csr_key(csr_pem):
    """AWS IoT's rule for CreateCertificateFromCsr: an RSA key of 2048 bits or more, or an EC key on
    NIST P-256, P-384 or P-521 (brainpool and other curves are refused)."""
    text = subprocess.run(["openssl", "req", "-noout", "-text"], input=csr_pem.encode(), capture_output=True
                          ).stdout.decode(errors="replace")
    bits = re.search(r"Public-Key: \((\d+) bit\)", text)
    if re.search(r"NIST CURVE: P-(256|384|521)\b", text):
        return
    if "rsaEncryption" in text and bits and int(bits.group(1)) >= 2048:
        return
    raise AwsError("InvalidRequestException", "The certificate signing request's public key is not supported: "
                   "use an RSA key of at least 2048 bits or an ECC key from the NIST P-256, P-384 or P-521 curves.")


NAME_RE = {"thingName": r"[a-zA-Z0-9:_-]{1,128}", "policyName": r"[\w+=,.@-]{1,128}"}


def validate_name(kind, value):
    if not re.fullmatch(NAME_RE[kind], value):
        raise AwsError("InvalidRequestException", "1 validation error detected: Value '%s' at '%s' failed to "
                       "satisfy constraint: Member must satisfy regular expression pattern: %s"
                       % (value, kind, NAME_RE[kind]))


# --- operations: (name, method, requestUri as in the botocore model) ---------------------------
# Each handler gets (state, path params, query dict, headers, body dict) and returns a dict.

def op_create_certificate_from_csr(s, p, q, h, b):
    csr = b.get("certificateSigningRequest")
    if not csr:
        raise AwsError("InvalidRequestException", "certificateSigningRequest is required")
    check_csr_key(csr)
    with tempfile.TemporaryDirectory() as d:
        csr_path = os.path.join(d, "req.csr")
        with open(csr_path, "w") as f:
            f.write(csr)
        try:
            testca.sign_csr(s.ca_dir, csr_path, os.path.join(d, "cert.pem"))
        except ValueError:
            raise AwsError("InvalidRequestException", "The certificate signing request is not valid.")
        with open(os.path.join(d, "cert.pem")) as f:
            pem = f.read()
    status = "ACTIVE" if q.get("setAsActive") == "true" else "INACTIVE"
    c = s.add_cert(pem, status, "DEFAULT")
    return {"certificateArn": c["certificateArn"], "certificateId": c["certificateId"], "certificatePem": pem}


def op_register_certificate_without_ca(s, p, q, h, b):
    pem = b.get("certificatePem")
    if not pem:
        raise AwsError("InvalidRequestException", "certificatePem is required")
    status = b.get("status") or "INACTIVE"
    if status not in ("ACTIVE", "INACTIVE"):
        raise AwsError("InvalidRequestException", "status must be ACTIVE or INACTIVE")
    c = s.add_cert(pem, status, "SNI_ONLY")
    return {"certificateArn": c["certificateArn"], "certificateId": c["certificateId"]}


def op_describe_certificate(s, p, q, h, b):
    c = s.cert(p["certificateId"])
    return {"certificateDescription": {
        "certificateArn": c["certificateArn"], "certificateId": c["certificateId"], "status": c["status"],
        "certificatePem": c["certificatePem"], "ownedBy": s.account, "creationDate": c["creationDate"],
        "lastModifiedDate": c["creationDate"], "customerVersion": 1, "certificateMode": c["certificateMode"]}}


def op_update_certificate(s, p, q, h, b):
    c = s.cert(p["certificateId"])
    new = q.get("newStatus", "")
    if new not in ("ACTIVE", "INACTIVE", "REVOKED"):
        raise AwsError("InvalidRequestException", "newStatus must be ACTIVE, INACTIVE or REVOKED")
    c["status"] = new
    return {}


def op_delete_certificate(s, p, q, h, b):
    c = s.cert(p["certificateId"])
    if c["status"] == "ACTIVE":
        raise AwsError("CertificateStateException", "Certificate must be deactivated before deletion.")
    arn = c["certificateArn"]
    if any(arn in t["principals"] for t in s.things.values()):
        raise AwsError("DeleteConflictException", "Things must be detached before deletion (arn: %s)" % arn)
    if q.get("forceDelete") != "true" and any(arn in ts for ts in s.policy_targets.values()):
        raise AwsError("DeleteConflictException", "Certificate policies must be detached before deletion (arn: %s)" % arn)
    for ts in s.policy_targets.values():
        ts.discard(arn)
    del s.certs[p["certificateId"]]
    return {}


def op_list_certificates(s, p, q, h, b):
    return {"certificates": [{"certificateArn": c["certificateArn"], "certificateId": c["certificateId"],
                              "status": c["status"], "certificateMode": c["certificateMode"],
                              "creationDate": c["creationDate"]} for c in s.certs.values()]}


def op_create_thing(s, p, q, h, b):
    name = p["thingName"]
    validate_name("thingName", name)
    attrs = (b.get("attributePayload") or {}).get("attributes") or {}
    t = s.things.get(name)
    if t is not None:
        # Like AWS: creating an identical thing again is a no-op; a different one is a conflict.
        if t["attributes"] != attrs:
            raise AwsError("ResourceAlreadyExistsException", "Thing %s already exists in account with different "
                           "attributes" % name, resourceId=t["thingId"], resourceArn=t["thingArn"])
    else:
        t = {"thingName": name, "thingArn": s.arn("thing", name), "thingId": str(uuid.uuid4()),
             "attributes": attrs, "version": 1, "principals": set()}
        s.things[name] = t
    return {"thingName": name, "thingArn": t["thingArn"], "thingId": t["thingId"]}


def op_describe_thing(s, p, q, h, b):
    t = s.thing(p["thingName"])
    return {"defaultClientId": t["thingName"], "thingName": t["thingName"], "thingId": t["thingId"],
            "thingArn": t["thingArn"], "attributes": t["attributes"], "version": t["version"]}


def op_delete_thing(s, p, q, h, b):
    t = s.things.get(p["thingName"])
    if t is None:
        return {}  # AWS: deleting a thing that does not exist succeeds
    if t["principals"]:
        raise AwsError("InvalidRequestException", "Cannot delete thing %s which has principals attached"
                       % t["thingName"])
    del s.things[p["thingName"]]
    return {}


def op_list_things(s, p, q, h, b):
    return {"things": [{"thingName": t["thingName"], "thingArn": t["thingArn"], "attributes": t["attributes"],
                        "version": t["version"]} for t in s.things.values()]}


def principal_header(h):
    principal = h.get("x-amzn-principal")
    if not principal:
        raise AwsError("InvalidRequestException", "principal is required")
    return principal


def op_attach_thing_principal(s, p, q, h, b):
    t = s.thing(p["thingName"])
    principal = principal_header(h)
    s.cert_by_arn(principal)
    t["principals"].add(principal)
    return {}


def op_detach_thing_principal(s, p, q, h, b):
    t = s.thing(p["thingName"])
    principal = principal_header(h)
    s.cert_by_arn(principal)
    t["principals"].discard(principal)
    return {}


def op_list_thing_principals(s, p, q, h, b):
    return {"principals": sorted(s.thing(p["thingName"])["principals"])}


def op_list_principal_things(s, p, q, h, b):
    principal = principal_header(h)
    s.cert_by_arn(principal)
    return {"things": sorted(n for n, t in s.things.items() if principal in t["principals"])}


def op_create_policy(s, p, q, h, b):
    name = p["policyName"]
    validate_name("policyName", name)
    doc = b.get("policyDocument")
    if not doc:
        raise AwsError("InvalidRequestException", "policyDocument is required")
    try:
        parsed = json.loads(doc)
        if not isinstance(parsed, dict) or "Statement" not in parsed:
            raise ValueError
    except ValueError:
        raise AwsError("MalformedPolicyException", "Policy document is malformed")
    if name in s.policies:
        raise AwsError("ResourceAlreadyExistsException", "Policy cannot be created - name already exists "
                       "(name=%s)" % name, resourceId=name, resourceArn=s.policies[name]["policyArn"])
    pol = {"policyName": name, "policyArn": s.arn("policy", name), "policyDocument": doc,
           "policyVersionId": "1", "creationDate": now()}
    s.policies[name] = pol
    s.policy_targets[name] = set()
    return {k: pol[k] for k in ("policyName", "policyArn", "policyDocument", "policyVersionId")}


def op_get_policy(s, p, q, h, b):
    pol = s.policy(p["policyName"])
    return {"policyName": pol["policyName"], "policyArn": pol["policyArn"], "policyDocument": pol["policyDocument"],
            "defaultVersionId": "1", "creationDate": pol["creationDate"], "lastModifiedDate": pol["creationDate"],
            "generationId": hashlib.sha256(pol["policyDocument"].encode()).hexdigest()}


def op_delete_policy(s, p, q, h, b):
    s.policy(p["policyName"])
    if s.policy_targets.get(p["policyName"]):
        raise AwsError("DeleteConflictException", "The policy cannot be deleted as the policy is attached to one "
                       "or more principals (name=%s)" % p["policyName"])
    del s.policies[p["policyName"]]
    s.policy_targets.pop(p["policyName"], None)
    return {}


def op_list_policies(s, p, q, h, b):
    return {"policies": [{"policyName": n, "policyArn": x["policyArn"]} for n, x in s.policies.items()]}


def policy_target(s, b):
    target = b.get("target")
    if not target:
        raise AwsError("InvalidRequestException", "target is required")
    s.cert_by_arn(target)
    return target


def op_attach_policy(s, p, q, h, b):
    s.policy(p["policyName"])
    s.policy_targets[p["policyName"]].add(policy_target(s, b))
    return {}


def op_detach_policy(s, p, q, h, b):
    s.policy(p["policyName"])
    s.policy_targets[p["policyName"]].discard(policy_target(s, b))
    return {}


def op_list_attached_policies(s, p, q, h, b):
    target = p["target"]
    return {"policies": [{"policyName": n, "policyArn": s.policies[n]["policyArn"]}
                         for n, ts in s.policy_targets.items() if target in ts]}


def op_list_targets_for_policy(s, p, q, h, b):
    s.policy(p["policyName"])
    return {"targets": sorted(s.policy_targets[p["policyName"]])}


def op_describe_endpoint(s, p, q, h, b):
    kind = q.get("endpointType", "iot:Data")
    if kind not in ("iot:Data", "iot:Data-ATS", "iot:CredentialProvider", "iot:Jobs"):
        raise AwsError("InvalidRequestException", "Endpoint type %s is not valid." % kind)
    return {"endpointAddress": s.endpoint}


OPERATIONS = [
    ("CreateCertificateFromCsr", "POST", "/certificates", op_create_certificate_from_csr),
    ("ListCertificates", "GET", "/certificates", op_list_certificates),
    ("RegisterCertificateWithoutCA", "POST", "/certificate/register-no-ca", op_register_certificate_without_ca),
    ("DescribeCertificate", "GET", "/certificates/{certificateId}", op_describe_certificate),
    ("UpdateCertificate", "PUT", "/certificates/{certificateId}", op_update_certificate),
    ("DeleteCertificate", "DELETE", "/certificates/{certificateId}", op_delete_certificate),
    ("CreateThing", "POST", "/things/{thingName}", op_create_thing),
    ("DescribeThing", "GET", "/things/{thingName}", op_describe_thing),
    ("DeleteThing", "DELETE", "/things/{thingName}", op_delete_thing),
    ("ListThings", "GET", "/things", op_list_things),
    ("AttachThingPrincipal", "PUT", "/things/{thingName}/principals", op_attach_thing_principal),
    ("DetachThingPrincipal", "DELETE", "/things/{thingName}/principals", op_detach_thing_principal),
    ("ListThingPrincipals", "GET", "/things/{thingName}/principals", op_list_thing_principals),
    ("ListPrincipalThings", "GET", "/principals/things", op_list_principal_things),
    ("CreatePolicy", "POST", "/policies/{policyName}", op_create_policy),
    ("GetPolicy", "GET", "/policies/{policyName}", op_get_policy),
    ("DeletePolicy", "DELETE", "/policies/{policyName}", op_delete_policy),
    ("ListPolicies", "GET", "/policies", op_list_policies),
    ("AttachPolicy", "PUT", "/target-policies/{policyName}", op_attach_policy),
    ("DetachPolicy", "POST", "/target-policies/{policyName}", op_detach_policy),
    ("ListAttachedPolicies", "POST", "/attached-policies/{target}", op_list_attached_policies),
    ("ListTargetsForPolicy", "POST", "/policy-targets/{policyName}", op_list_targets_for_policy),
    ("DescribeEndpoint", "GET", "/endpoint", op_describe_endpoint),
]

ROUTES = [(name, method, re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(uri)) + "$"), fn)
          for name, method, uri, fn in OPERATIONS]


def json_default(o):
    if isinstance(o, set):
        return sorted(o)
    raise TypeError(type(o))


class Handler(BaseHTTPRequestHandler):
    server_version = "aws-iot-local/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("aws-iot-local: " + fmt % args + "\n")

    def send_json(self, status, body, headers=()):
        data = json.dumps(body, default=json_default).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def send_error_json(self, err):
        body = {"message": err.message}
        body.update(err.extra)
        self.send_json(ERROR_STATUS.get(err.code, 400), body, [("x-amzn-ErrorType", err.code)])

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def handle_any(self, method):
        state = self.server.state
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        raw = self.body()
        if url.path.startswith("/_control/"):
            return self.control(method, url.path, raw)
        if method == "POST" and url.path == "/" and b"Action=GetCallerIdentity" in raw:
            return self.sts_caller_identity()
        for name, m, rx, fn in ROUTES:
            match = rx.match(url.path)
            if m != method or not match:
                continue
            params = {k: urllib.parse.unquote(v) for k, v in match.groupdict().items()}
            try:
                body = json.loads(raw) if raw.strip() else {}
            except ValueError:
                return self.send_error_json(AwsError("InvalidRequestException", "request body is not JSON"))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with state.lock:
                try:
                    state.check_failure(name)
                    result = fn(state, params, query, headers, body)
                except AwsError as e:
                    self.log_message("%s -> %s", name, e.code)
                    return self.send_error_json(e)
            return self.send_json(200, result)
        self.send_error_json(AwsError("InvalidRequestException", "no operation for %s %s" % (method, url.path)))

    def sts_caller_identity(self):
        state = self.server.state
        xml = ('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
               "<GetCallerIdentityResult><Arn>arn:aws:iam::%s:user/local-test</Arn>"
               "<UserId>AIDALOCALTEST</UserId><Account>%s</Account></GetCallerIdentityResult>"
               "<ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
               % (state.account, state.account, uuid.uuid4())).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(xml)))
        self.end_headers()
        self.wfile.write(xml)

    def control(self, method, path, raw):
        state = self.server.state
        with state.lock:
            if method == "GET" and path == "/_control/state":
                return self.send_json(200, state.snapshot())
            if method == "POST" and path == "/_control/fail":
                req = json.loads(raw or b"{}")
                op = req.get("operation", "")
                if op not in [o[0] for o in OPERATIONS]:
                    return self.send_json(400, {"message": "unknown operation '%s'" % op})
                state.failures[op] = [int(req.get("count", 1)), req.get("error", "ServiceUnavailableException"),
                                      req.get("message", "injected failure of %s" % op)]
                return self.send_json(200, {"ok": True})
            if method == "POST" and path == "/_control/reset":
                state.failures.clear()
                return self.send_json(200, {"ok": True})
        self.send_json(404, {"message": "unknown control path"})

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def do_PUT(self):
        self.handle_any("PUT")

    def do_DELETE(self):
        self.handle_any("DELETE")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ca-dir", required=True, help="test CA directory (created with testca.py init if empty)")
    ap.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    ap.add_argument("--port-file", help="write the port here once listening")
    ap.add_argument("--pid-file", help="write the process id here")
    ap.add_argument("--lifetime", type=float, default=600, help="exit after this many seconds (default 600)")
    ap.add_argument("--endpoint-address", default="localhost", help="what describe-endpoint answers")
    ap.add_argument("--account", default="123456789012")
    ap.add_argument("--region", default=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"))
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)

    testca.init(args.ca_dir)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.verbose = args.verbose
    server.state = State(args.ca_dir, args.region, args.account, args.endpoint_address)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write("%d\n" % os.getpid())
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % server.server_address[1])
        os.replace(tmp, args.port_file)
    timer = threading.Timer(args.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    sys.stderr.write("aws-iot-local: listening on http://127.0.0.1:%d for %gs (%s)\n"
                     % (server.server_address[1], args.lifetime, datetime.datetime.now().isoformat(timespec="seconds")))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
