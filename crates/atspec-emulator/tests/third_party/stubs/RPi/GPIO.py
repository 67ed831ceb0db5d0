"""Test stand-in for RPi.GPIO, written for atspec's third-party client tests.

gsmHat drives pin 7 (the HAT's power key) only when it gives up on the module and
restarts it. No pin exists here: every call is recorded, so the test can tell that
the library never had to press the key.
"""

BOARD = 10
BCM = 11
OUT = 0
IN = 1
LOW = 0
HIGH = 1

calls = []


def setmode(mode):
    calls.append(("setmode", mode))


def setwarnings(flag):
    calls.append(("setwarnings", flag))


def setup(pin, direction, *args, **kwargs):
    calls.append(("setup", pin, direction))


def output(pin, value):
    calls.append(("output", pin, value))


def input(pin):  # noqa: A001 - the name RPi.GPIO uses
    calls.append(("input", pin))
    return HIGH


def cleanup(*args):
    calls.append(("cleanup",))
