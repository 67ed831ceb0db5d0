"""Test stand-in for CircuitPython's `busio`, written for atspec's third-party client
tests: `busio.UART` is a pyserial port on the device the TX pin names, with the
members the libraries use (baudrate, in_waiting, read, write, reset_input_buffer)."""

import serial


class UART:
    def __init__(self, tx, rx, *, baudrate=9600, timeout=1, receiver_buffer_size=64, **_):
        device = tx.device or rx.device
        if not device:
            raise ValueError("set ATSPEC_MODEM_PATH to the modem's serial device")
        self._port = serial.Serial(device, baudrate=baudrate, timeout=timeout)

    @property
    def baudrate(self):
        return self._port.baudrate

    @baudrate.setter
    def baudrate(self, value):
        self._port.baudrate = value

    @property
    def in_waiting(self):
        return self._port.in_waiting

    def read(self, nbytes=None):
        return self._port.read(nbytes if nbytes is not None else max(1, self._port.in_waiting))

    def readline(self):
        return self._port.readline()

    def write(self, data):
        return self._port.write(data)

    def reset_input_buffer(self):
        self._port.reset_input_buffer()

    def deinit(self):
        self._port.close()
