"""The `provision` command: AWS IoT, Azure IoT Hub and fleet personalisation of OPTIGA chips.

Modules: cli (options), runner (running tools, dry-run), journal (resumable steps), config (seed
configuration files), chip (optigactl/openssl on the chip), awscli (the aws command), policy
(least-privilege template), devconfig (files for aws-iot-device-client and mosquitto),
aws_flow / azure_flow / fleet_flow (the flows), batch (several chips).
"""

# The project version (CMakeLists.txt project(); tests/shell/exit_codes.sh checks they agree).
__version__ = "0.1.0"
