"""Test stand-in for the Raspberry Pi GPIO package: there is no board here."""
