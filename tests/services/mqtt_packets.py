#!/usr/bin/env python3
"""Raw MQTT 3.1.1 bytes for `openssl s_client`: CONNECT (client id), PUBLISH (QoS 0), DISCONNECT.

    mqtt_packets.py CLIENT_ID TOPIC MESSAGE > packets.bin
"""
import sys


def remaining_length(n):
    out = bytearray()
    while True:
        b, n = n % 128, n // 128
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string(s):
    b = s.encode()
    return len(b).to_bytes(2, "big") + b


def packet(kind, body):
    return bytes([kind]) + remaining_length(len(body)) + body


client_id, topic, message = sys.argv[1:4]
connect = packet(0x10, string("MQTT") + b"\x04\x02\x00\x3c" + string(client_id))
publish = packet(0x30, string(topic) + message.encode())
sys.stdout.buffer.write(connect + publish + packet(0xE0, b""))
