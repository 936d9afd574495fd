"""The journal of one provisioning run: which step is done, with the ids the cloud returned.

One JSON file per thing (or device), rewritten atomically after every step, so a re-run goes on
from the first step not done and --rollback knows exactly what to undo.
"""
import datetime
import json
import os

from .runner import ProvisionError

VERSION = 1


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class Journal:
    def __init__(self, path, kind, params, dry_run=False):
        self.path = path
        self.dry_run = dry_run
        self.data = {"version": VERSION, "kind": kind, "params": params, "created": now(), "steps": {},
                     "order": [], "status": "new"}
        self.existing = False
        if os.path.exists(path):
            try:
                with open(path) as f:
                    loaded = json.load(f)
            except ValueError as e:
                raise ProvisionError("journal %s is not valid JSON (%s)" % (path, e),
                                     hint="move it away only if you know the cloud side is clean")
            if not isinstance(loaded, dict) or not isinstance(loaded.get("steps"), dict) \
                    or not isinstance(loaded.get("order", []), list):
                raise ProvisionError("%s is not a provisioning journal (no steps object)" % path,
                                     hint="move it away only if you know the cloud side is clean")
            if loaded.get("version") != VERSION or loaded.get("kind") != kind:
                raise ProvisionError("journal %s belongs to a '%s' run, not '%s'" % (path, loaded.get("kind"), kind))
            self.data = loaded
            self.existing = True

    def check_params(self, params, keys):
        """A resumed run must use the same chip, slot and names as the run that wrote the journal."""
        old = self.data.get("params", {})
        for k in keys:
            if k in old and params.get(k) != old.get(k):
                raise ProvisionError(
                    "journal %s was written for %s=%s, this run asks for %s=%s"
                    % (self.path, k, old.get(k), k, params.get(k)),
                    hint="re-run with the same options to resume, or undo it first with --rollback")

    def check_key(self, slot, key, reuse_key, key_steps, cloud_step=None):
        """The key now in `slot` (optigactl pubkey's answer, or None) against the one the journal's
        key step recorded. A replaced key is refused while a certificate for the journal's key exists
        in the cloud (`cloud_step` done); with --reuse-key and nothing depending on the old key, the
        key steps start again with the key in the slot. Returns True when they were forgotten."""
        if not self.done("keygen"):
            return False
        recorded = self.get("keygen", "publicKey")
        if key is not None and key.get("public_key_pem") == recorded:
            return False
        what = ("%s holds no key now" % slot if key is None else
                "the key in %s (label %s) is not the one this journal recorded" % (slot, key.get("label")))
        if key is not None and reuse_key and not (cloud_step and self.done(cloud_step)):
            for step in key_steps:
                self.forget(step)
            return True
        if cloud_step and self.done(cloud_step):
            raise ProvisionError(
                "%s; the cloud holds this journal's certificate (%s) for the recorded key; nothing was changed"
                % (what, self.get(cloud_step, "certificateId", "?")),
                hint="undo the cloud side with --rollback, then re-run with --reuse-key to use the key now in %s"
                     % slot)
        raise ProvisionError("%s; nothing was changed" % what,
                             hint="re-run with --reuse-key to use the key now in %s, or move %s away to start "
                                  "afresh" % (slot, os.path.dirname(self.path)) if key is not None else
                             "the journal's key is gone: move %s away to start afresh" % os.path.dirname(self.path))

    def done(self, step):
        return self.data["steps"].get(step, {}).get("status") == "done"

    def result(self, step):
        return self.data["steps"].get(step, {}).get("result", {})

    def get(self, step, key, default=None):
        return self.result(step).get(key, default)

    def mark_done(self, step, result=None):
        self.data["steps"][step] = {"status": "done", "at": now(), "result": result or {}}
        if step not in self.data["order"]:
            self.data["order"].append(step)
        self.data.pop("failed", None)
        self.save()

    def mark_failed(self, step, error):
        self.data["failed"] = {"step": step, "error": str(error), "at": now()}
        self.data["status"] = "failed"
        self.save()

    def forget(self, step):
        self.data["steps"].pop(step, None)
        if step in self.data["order"]:
            self.data["order"].remove(step)
        self.save()

    def set_status(self, status):
        self.data["status"] = status
        self.save()

    def save(self):
        if self.dry_run:
            return
        os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
        tmp = self.path + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f, indent=2, sort_keys=True)
            f.write("\n")
        os.replace(tmp, self.path)


def key_record(key, generated):
    """What the journal keeps of the key a run uses: its public key, label and curve."""
    key = key or {}
    return {"publicKey": key.get("public_key_pem", "<public key>"), "label": key.get("label"),
            "curve": key.get("curve"), "generated": generated}


def run_step(journal, runner, name, title, fn):
    """Runs fn() unless the journal says the step is done; records its result dict or the failure."""
    if journal.done(name):
        runner.say("  [skip] %-24s done in an earlier run" % name)
        return journal.result(name)
    runner.say("  [....] %-24s %s" % (name, title))
    try:
        result = fn() or {}
    except ProvisionError as e:
        if not runner.dry_run:
            journal.mark_failed(name, e)
        raise ProvisionError("step '%s' failed: %s" % (name, e.message), hint=e.hint, code=e.code)
    if not runner.dry_run:
        journal.mark_done(name, result)
    runner.say("  [done] %-24s%s" % (name, "" if not result else " " + summarize(result)))
    return result


def summarize(result):
    keys = ("certificateId", "thingName", "policyName", "endpointAddress", "oid")
    parts = ["%s=%s" % (k, result[k]) for k in keys if k in result]
    return ", ".join(parts)
