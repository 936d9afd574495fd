"""Device configuration written at the end of a run, for aws-iot-device-client and for mosquitto.

Files in the run's directory (made absolute, mode 0700: the client's rule for the directory of
its certificate and root CA), every path in them absolute:
  certificate.pem            the device certificate (also on the chip), 0644
  root-ca.pem                the server root CA the device should trust, 0644
  aws-iot-device-client.json endpoint, thing, certificate, root CA and the secure-element settings
                             (the PKCS#11 module, PIN, token and key label: the key never leaves
                             the chip), 0640
  pkcs11/optiga-pkcs11.so    a copy of the module for aws-iot-device-client, which requires its
                             PKCS#11 library to be mode 0640 in a 0700 directory
  openssl-pkcs11.cnf         OpenSSL configuration that loads the pkcs11 engine with our module
  mosquitto.env              the environment of the mosquitto clients (module, OpenSSL config, chip)
  mosquitto/mosquitto_pub, mosquitto/mosquitto_sub
                             option files for Debian's mosquitto clients (XDG_CONFIG_HOME=<dir>/mosquitto)
  device.json                everything above in one machine-readable file
The rules are the client's (source/config/Config.cpp and SharedCrtResourceManager.cpp of
aws-iot-device-client): modes must be exactly these, and secure-element-pin must not be empty.
"""
import json
import os
import shlex
import shutil
import subprocess
import urllib.parse

from . import paths

# Without user_pin in the configuration file the module accepts any PIN (docs/pkcs11.md); the
# client needs a non-empty one.
ANY_PIN = "0000"


def pkcs11_module_path():
    return paths.pkcs11_module()


def secure_element_pin():
    """The PIN aws-iot-device-client logs in with: user_pin of the configuration file when set
    (the module then requires it), else ANY_PIN."""
    return paths.config_value("user_pin") or ANY_PIN


def pkcs11_uri(key_label, token=None):
    parts = []
    if token:
        parts.append("token=" + urllib.parse.quote(token, safe=""))
    parts += ["object=" + urllib.parse.quote(key_label, safe=""), "type=private"]
    return "pkcs11:" + ";".join(parts)


def engine_path():
    """libp11's engine in the engines directory of the OpenSSL on this machine (any architecture):
    `openssl version -e` prints ENGINESDIR: "/usr/lib/<triplet>/engines-3"."""
    try:
        out = subprocess.run(["openssl", "version", "-e"], capture_output=True, text=True, check=True).stdout
        engines = out.split(":", 1)[1].strip().strip('"')
    except (OSError, subprocess.CalledProcessError, IndexError):
        engines = "/usr/lib/engines-3"
    return os.path.join(engines, "pkcs11.so")


def write(outdir, *, device, key_slot, key_label, token, cert_slot, cert_pem_path, root_ca_path, endpoint, port, thing,
          dry_run=False):
    """`token`: the chip's PKCS#11 token label (optigactl info --json), None in a dry run."""
    outdir = os.path.abspath(outdir)
    module = pkcs11_module_path()
    uri = pkcs11_uri(key_label, token)
    files = {
        "certificate": os.path.join(outdir, "certificate.pem"),
        "root_ca": os.path.join(outdir, "root-ca.pem"),
        "aws_iot_device_client": os.path.join(outdir, "aws-iot-device-client.json"),
        "openssl_conf": os.path.join(outdir, "openssl-pkcs11.cnf"),
        "mosquitto_dir": os.path.join(outdir, "mosquitto"),
        "mosquitto_env": os.path.join(outdir, "mosquitto.env"),
        "client_pkcs11_lib": os.path.join(outdir, "pkcs11", os.path.basename(module)),
        "device": os.path.join(outdir, "device.json"),
    }
    summary = {"endpoint": endpoint, "port": port, "thing": thing, "client_id": thing, "device": device,
               "key_slot": key_slot, "certificate_slot": cert_slot, "pkcs11_uri": uri, "pkcs11_module": module,
               "token_label": token, "openssl_key": "optiga:" + key_slot, "files": files}
    if dry_run:
        return summary
    os.makedirs(files["mosquitto_dir"], exist_ok=True)
    os.chmod(outdir, 0o700)
    if os.path.abspath(cert_pem_path) != os.path.abspath(files["certificate"]):
        shutil.copyfile(cert_pem_path, files["certificate"])
    os.chmod(files["certificate"], 0o644)
    if root_ca_path and os.path.abspath(root_ca_path) != os.path.abspath(files["root_ca"]):
        shutil.copyfile(root_ca_path, files["root_ca"])
    if os.path.exists(files["root_ca"]):
        os.chmod(files["root_ca"], 0o644)
    lib_dir = os.path.dirname(files["client_pkcs11_lib"])
    os.makedirs(lib_dir, exist_ok=True)
    os.chmod(lib_dir, 0o700)
    shutil.copyfile(module, files["client_pkcs11_lib"])
    os.chmod(files["client_pkcs11_lib"], 0o640)
    client = {
        "endpoint": endpoint,
        "cert": files["certificate"],
        "root-ca": files["root_ca"],
        "thing-name": thing,
        "secure-element": {
            "enabled": True,
            "pkcs11-lib": files["client_pkcs11_lib"],
            "secure-element-pin": secure_element_pin(),
            "secure-element-key-label": key_label,
        },
    }
    if token:
        client["secure-element"]["secure-element-token-label"] = token
    _write_json(files["aws_iot_device_client"], client, mode=0o640)
    with open(files["openssl_conf"], "w") as f:
        f.write("# OpenSSL configuration that loads libp11's pkcs11 engine with the OPTIGA module, for\n"
                "# openssl commands that take engine keys (-engine pkcs11 -keyform engine). mosquitto loads\n"
                "# the engine before reading this file: it needs PKCS11_MODULE_PATH (mosquitto.env).\n"
                "openssl_conf = openssl_init\n\n[openssl_init]\nengines = engine_section\n\n"
                "[engine_section]\npkcs11 = pkcs11_section\n\n[pkcs11_section]\nengine_id = pkcs11\n"
                "dynamic_path = %s\nMODULE_PATH = %s\ninit = 0\n" % (engine_path(), module))
    # The environment of the mosquitto clients: libp11 takes the module from PKCS11_MODULE_PATH
    # when the engine is loaded by id (as mosquitto does), not from the configuration file.
    env = [("PKCS11_MODULE_PATH", module), ("OPENSSL_CONF", files["openssl_conf"]),
           ("XDG_CONFIG_HOME", files["mosquitto_dir"]), ("OPTIGA_DEVICE", device)]
    with open(files["mosquitto_env"], "w") as f:
        f.write("# For mosquitto_pub/mosquitto_sub with the chip's key, in this directory:\n"
                "#   (cd %s && set -a && . ./mosquitto.env && set +a && mosquitto_pub -t things/%s/hello -m hi)\n"
                % (shlex.quote(outdir), thing))
        f.write("".join("%s=%s\n" % (k, shlex.quote(v)) for k, v in env))
    opts = ["-h %s" % endpoint, "-p %d" % port, "-i %s" % thing, "--cafile %s" % files["root_ca"],
            "--cert %s" % files["certificate"], "--tls-engine pkcs11", "--keyform engine", "--key %s" % uri]
    # mosquitto 2.0.11 opens --key as a file even with --keyform engine: an empty placeholder named
    # like the URI lets it pass that check when the client runs in this directory.
    with open(os.path.join(outdir, uri), "w"):
        pass
    for tool in ("mosquitto_pub", "mosquitto_sub"):
        with open(os.path.join(files["mosquitto_dir"], tool), "w") as f:
            f.write("\n".join(opts) + "\n")
    _write_json(files["device"], summary)
    return summary


def _write_json(path, doc, mode=0o644):
    tmp = path + ".tmp"
    with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w") as f:
        os.fchmod(f.fileno(), mode)
        json.dump(doc, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
