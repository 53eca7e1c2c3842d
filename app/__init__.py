"""Loket DTKS: offline registration counter for DTKS/FMOTM households in Jakarta."""

__version__ = "0.1.0"
APP_NAME = "Loket DTKS"
