"""Where provisioning finds optigactl, the OpenSSL provider and the PKCS#11 module.

Installed (the optiga-provision command): optigactl on $PATH, the provider by name in OpenSSL's
modules directory, the module in ${libdir}/pkcs11 next to the command's prefix. A build tree is
used only when $OPTIGA_BUILD_DIR names one (scripts/provision in a checkout sets it to the
checkout's build/ when that exists). $OPTIGACTL, $OPTIGA_PROVIDER_DIR and $OPTIGA_PKCS11_MODULE
name each one explicitly.
"""
import os
import shutil
import sysconfig

MODULE_NAME = "optiga-pkcs11.so"

# Set by the installed optiga-provision command: the module where that install put it.
INSTALLED_PKCS11_MODULE = None


def build_dir():
    return os.environ.get("OPTIGA_BUILD_DIR") or None


def optigactl():
    explicit = os.environ.get("OPTIGACTL")
    if explicit:
        return explicit
    if build_dir():
        return os.path.join(build_dir(), "tools", "optigactl", "optigactl")
    return shutil.which("optigactl") or "optigactl"


def provider_path_args():
    """`-provider-path DIR` for a provider outside OpenSSL's modules directory; none when installed."""
    explicit = os.environ.get("OPTIGA_PROVIDER_DIR")
    if explicit:
        return ["-provider-path", explicit]
    if build_dir():
        return ["-provider-path", os.path.join(build_dir(), "ossl_provider")]
    return []


def pkcs11_module():
    """The module's absolute path (device configuration files need one)."""
    explicit = os.environ.get("OPTIGA_PKCS11_MODULE")
    if explicit:
        return os.path.abspath(explicit)
    if build_dir():
        return os.path.abspath(os.path.join(build_dir(), "pkcs11", MODULE_NAME))
    candidates = [INSTALLED_PKCS11_MODULE] if INSTALLED_PKCS11_MODULE else []
    multiarch = sysconfig.get_config_var("MULTIARCH")
    for prefix in ("/usr", "/usr/local"):
        if multiarch:
            candidates.append(os.path.join(prefix, "lib", multiarch, "pkcs11", MODULE_NAME))
        candidates.append(os.path.join(prefix, "lib", "pkcs11", MODULE_NAME))
    for c in candidates:
        if os.path.exists(c):
            return c
    return candidates[0]


def config_file():
    """The configuration file every front end reads: $OPTIGA_CONF, else /etc/optiga/optiga.conf."""
    return os.environ.get("OPTIGA_CONF") or "/etc/optiga/optiga.conf"


def config_value(key):
    """A `key = value` of the configuration file (docs/configuration.md), or None when the file or
    the key is missing or unreadable. The front ends validate the file; this only reads it."""
    try:
        with open(config_file(), encoding="utf-8") as f:
            lines = f.readlines()
    except OSError:
        return None
    for line in lines:
        text = line.strip()
        if not text or text[0] in "#;" or "=" not in text:
            continue
        k, v = (part.strip() for part in text.split("=", 1))
        if k == key:
            if len(v) >= 2 and v[0] == v[-1] == '"':
                v = v[1:-1]
            return v or None
    return None
