"""The aws command line, with the run's profile, region and endpoint, and AWS errors as values."""
import json
import os
import re

from .runner import ProvisionError, last_lines

ERROR_RE = re.compile(r"An error occurred \((\w+)\) when calling the (\w+) operation(?: \(.*?\))?: (.*)", re.S)


class AwsCli:
    def __init__(self, runner, profile=None, region=None, endpoint_url=None):
        self.runner = runner
        self.aws = os.environ.get("AWS_CLI", "aws")
        self.base = [self.aws]
        if profile:
            self.base += ["--profile", profile]
        if region:
            self.base += ["--region", region]
        if endpoint_url:
            self.base += ["--endpoint-url", endpoint_url]
        self.base += ["--output", "json"]

    def call(self, service, operation, args, what, tolerate=(), placeholder=None):
        """Runs `aws SERVICE OPERATION ARGS`; returns the parsed JSON (or {}).

        An AWS error whose code is in `tolerate` returns {"__error__": code}; others raise
        ProvisionError carrying the code.
        """
        argv = [*self.base, service, operation, *args]
        proc = self.runner.run(argv, what, check=False)
        if self.runner.dry_run:
            return placeholder or {}
        if proc.returncode == 0:
            out = proc.stdout.decode().strip()
            return json.loads(out) if out else {}
        err = proc.stderr.decode(errors="replace").strip()
        m = ERROR_RE.search(err)
        if m:
            code, message = m.group(1), m.group(3).strip()
            if code in tolerate:
                return {"__error__": code, "message": message}
            raise ProvisionError("%s: AWS answered %s: %s" % (what, code, message), hint=hint_for(code), code=code)
        if "Unable to locate credentials" in err or "could not be found" in err and "profile" in err:
            raise ProvisionError("%s: no AWS credentials (%s)" % (what, last_lines(err, 1)),
                                 hint="run `aws configure`, pass --profile, or set AWS_ACCESS_KEY_ID and "
                                      "AWS_SECRET_ACCESS_KEY", code="NoCredentials")
        if "You must specify a region" in err:
            raise ProvisionError("%s: no AWS region configured" % what,
                                 hint="pass --region (e.g. --region eu-central-1) or set AWS_DEFAULT_REGION",
                                 code="NoRegion")
        raise ProvisionError("%s: aws exited %d: %s" % (what, proc.returncode, last_lines(err)))

    def iot(self, operation, args, what, tolerate=(), placeholder=None):
        return self.call("iot", operation, args, what, tolerate, placeholder)


def hint_for(code):
    return {
        "ResourceAlreadyExistsException": "choose another name, or remove the existing resource first",
        "UnauthorizedException": "the credentials lack the IoT permissions listed in docs/provisioning.md",
        "AccessDeniedException": "the credentials lack the IoT permissions listed in docs/provisioning.md",
        "InvalidRequestException": None,
        "ThrottlingException": "wait a moment and re-run: the journal resumes where this run stopped",
        "ServiceUnavailableException": "re-run: the journal resumes where this run stopped",
        "InternalFailureException": "re-run: the journal resumes where this run stopped",
    }.get(code)
