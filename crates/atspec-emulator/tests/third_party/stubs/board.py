"""Test stand-in for CircuitPython's `board`, written for atspec's third-party client
tests: the UART pins name the emulated modem's pseudo-terminal (ATSPEC_MODEM_PATH)."""

import os


class Pin:
    def __init__(self, name, device=None):
        self.name = name
        self.device = device

    def __repr__(self):
        return f"board.{self.name}"


TX = Pin("TX", os.environ.get("ATSPEC_MODEM_PATH"))
RX = Pin("RX", os.environ.get("ATSPEC_MODEM_PATH"))
ESP_RESET = Pin("ESP_RESET")
