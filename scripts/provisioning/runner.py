"""Running the standard tools: argv lists only (no shell, no eval), dry-run printing, clear errors."""
import os
import shlex
import subprocess
import sys


class ProvisionError(Exception):
    """A failure the user can act on: what went wrong and, when known, what to do."""

    def __init__(self, message, hint=None, code=None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code  # e.g. the AWS error code

    def __str__(self):
        return self.message + ("\n  hint: " + self.hint if self.hint else "")


class UsageError(ProvisionError):
    """A bad command line or option value (exit 2), found before anything changes."""


class Runner:
    def __init__(self, dry_run=False, verbose=False, quiet=False, env=None):
        self.dry_run = dry_run
        self.verbose = verbose
        self.quiet = quiet
        self.openssl = os.environ.get("OPENSSL", "openssl")
        self.env = dict(os.environ)
        if env:
            self.env.update(env)

    def say(self, text):
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def show(self, argv, note=None):
        line = "+ " + shlex.join(str(a) for a in argv)
        if note:
            line += "    # " + note
        print(line, file=sys.stderr if not self.dry_run else sys.stdout, flush=True)

    def run(self, argv, what, input_bytes=None, check=True, mutates=True, note=None, extra_env=None):
        """Runs argv; returns CompletedProcess with bytes stdout/stderr.

        In dry-run mode commands that change something (mutates=True) are printed and not run;
        read-only ones are printed and not run either, and a CompletedProcess with empty output
        is returned, so the flow code sees placeholders.
        """
        argv = [str(a) for a in argv]
        if self.dry_run:
            self.show(argv, note)
            return subprocess.CompletedProcess(argv, 0, b"", b"")
        if self.verbose:
            self.show(argv, note)
        try:
            env = self.env
            if extra_env:
                env = dict(os.environ if env is None else env)
                env.update(extra_env)
            proc = subprocess.run(argv, input=input_bytes, capture_output=True, env=env)
        except FileNotFoundError:
            raise ProvisionError("%s: the program '%s' is not installed or not found" % (what, argv[0]),
                                 hint="scripts/install-deps.sh installs every tool this command uses")
        except OSError as e:
            raise ProvisionError("%s: cannot run '%s': %s" % (what, argv[0], e.strerror or e))
        if check and proc.returncode != 0:
            raise ProvisionError("%s failed (%s exited %d): %s" % (what, os.path.basename(argv[0]), proc.returncode,
                                                                  last_lines(proc.stderr or proc.stdout)))
        return proc

    def inspect(self, argv, what):
        """Runs a read-only command on local files only (openssl reading a certificate the user gave),
        in a dry run too: a dry run shows the inputs it would refuse. Never checks the exit code."""
        argv = [str(a) for a in argv]
        if self.verbose:
            self.show(argv)
        try:
            return subprocess.run(argv, capture_output=True, env=self.env)
        except OSError as e:
            raise ProvisionError("%s: cannot run '%s': %s" % (what, argv[0], e.strerror or e),
                                 hint="scripts/install-deps.sh installs every tool this command uses")


def last_lines(data, n=3):
    text = data.decode(errors="replace").strip() if isinstance(data, bytes) else (data or "").strip()
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return " / ".join(lines[-n:]) if lines else "(no output)"
