"""Runs a published Python modem library against an emulated modem on a serial device.

Driven by crates/atspec-emulator/tests/third_party.rs. The libraries are used as their
own documentation shows, unchanged; the board modules they import (RPi.GPIO, board,
busio, digitalio) are the stand-ins in ./stubs, on PYTHONPATH before site-packages.

    python clients.py check
    python clients.py gsmhat <device> <url> <log file>
    python clients.py esp-at <device> <url> <ssid> <password>

`check` exits 0 when both libraries import. The others print one JSON object as the
last line of stdout, saying what the library got, and exit 0; a failure prints the
reason on stderr and exits 1.
"""

import json
import os
import sys
import threading
import time

# How long a library may take for the whole session. gsmHat polls its state machine every
# 0.1 s and checks the bearer every 5 s, so its first request goes out after about 6 s.
DEADLINE_S = 40


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def check():
    import serial  # noqa: F401 - pyserial, which both libraries use

    if not hasattr(serial, "Serial"):
        fail("the `serial` module is not pyserial (gsmHat's `serial` dependency shadows it)")
    import gsmHat  # noqa: F401
    from adafruit_espatcontrol import adafruit_espatcontrol  # noqa: F401

    print(json.dumps({"ok": True}))


def run_gsmhat(device, url, log_file):
    """gsmHat's HTTP GET: a bearer set up with SetGPRSconnection, then CallUrl."""
    from RPi import GPIO

    from gsmHat import GSMHat

    gsm = GSMHat(device, 115200, Logpath=log_file)
    gsm.SetGPRSconnection("internet", "", "")
    gsm.CallUrl(url)
    deadline = time.monotonic() + DEADLINE_S
    worker = next(t for t in threading.enumerate() if t is not threading.main_thread())
    while not gsm.UrlResponse_available():
        if not worker.is_alive():
            fail("gsmHat's worker thread died (it raises on a command that got no OK)")
        if time.monotonic() > deadline:
            fail(f"gsmHat got no HTTP response within {DEADLINE_S} s")
        time.sleep(0.1)
    body = gsm.UrlResponse_read()
    gps = gsm.GetActualGPS()
    pressed = [c for c in GPIO.calls if c[0] == "output"]
    print(
        json.dumps(
            {
                "body": body,
                # The power key is pressed only when the library gives up on the module.
                "power_key_presses": len(pressed),
                "gnss_fix": gps.Fix_status,
            }
        )
    )


def http_client_body(reply):
    """The body in an AT+HTTPCLIENT answer: the data of each `+HTTPCLIENT:<size>,` chunk."""
    body = b""
    marker = b"+HTTPCLIENT:"
    at = reply.find(marker)
    while at >= 0:
        comma = reply.index(b",", at)
        size = int(reply[at + len(marker) : comma])
        body += reply[comma + 1 : comma + 1 + size]
        at = reply.find(marker, comma + 1 + size)
    return body


def run_esp_at(device, url, ssid, password):
    """ESP_ATcontrol's start-up and Wi-Fi join; then an HTTP GET with the library's own
    command layer (at_response), since its requests path needs raw sockets (AT+CIPSTART)."""
    os.environ["ATSPEC_MODEM_PATH"] = device  # the stand-in board's UART pins
    import board
    import busio

    from adafruit_espatcontrol import adafruit_espatcontrol

    uart = busio.UART(board.TX, board.RX, baudrate=115200, timeout=0.1)
    esp = adafruit_espatcontrol.ESP_ATcontrol(uart, 115200)
    started = time.monotonic()
    esp.begin()
    if not esp._initialized:  # begin() swallows its own failures
        fail("ESP_ATcontrol.begin() gave up: a start-up command got no OK")
    esp.connect({"ssid": ssid, "password": password})
    connected = esp.is_connected
    status = esp.status
    ip = esp.local_ip
    reply = esp.at_response(f'AT+HTTPCLIENT=2,0,"{url}",,,1', timeout=10)
    body = http_client_body(reply).decode("utf-8")
    print(
        json.dumps(
            {
                "version": esp.version,
                "connected": connected,
                "status": status,
                "ip": ip,
                "body": body,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )


def main(argv):
    if len(argv) >= 1 and argv[0] == "check":
        return check()
    if len(argv) == 4 and argv[0] == "gsmhat":
        return run_gsmhat(*argv[1:])
    if len(argv) == 5 and argv[0] == "esp-at":
        return run_esp_at(*argv[1:])
    fail(__doc__)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main(sys.argv[1:])
