"""The protocol table is complete: every row's simulated device speaks what its parser reads.

The wire tests (test_drivers_thermometer_wire.py) run each row through a real pty; these check
the table itself, sans-IO, and that reading it loads no heavy library.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from drivers.thermometer.protocols import PROTOCOLS, ProtocolName, ProtocolSettings
from drivers.thermometer.reading import PolledParser, RawReading
from drivers.thermometer.registers import RegisterMap

READING = RawReading(36.7, 21.5)


@pytest.mark.parametrize("name", list(PROTOCOLS))
def test_every_protocol_parses_what_its_simulated_device_says(name: ProtocolName) -> None:
    spoken = PROTOCOLS[name]
    parser = ProtocolSettings(name).parser_factory()()
    device = spoken.device(RegisterMap())
    if spoken.polled:
        assert isinstance(parser, PolledParser), "a polled protocol's parser must ask"
        assert device.measured(READING) == b""  # it waits to be asked
        wire = device.requested(parser.request(), READING)
    else:
        assert not isinstance(parser, PolledParser)
        wire = device.measured(READING)
    assert parser.feed(wire) == [READING]
    assert spoken.label and spoken.label_zh


def test_an_unknown_protocol_is_refused_naming_the_registered_ones() -> None:
    with pytest.raises(ValueError, match=", ".join(PROTOCOLS)):
        ProtocolSettings("nmea")


def test_the_table_loads_neither_pymodbus_nor_serial() -> None:
    probe = "import sys, drivers.thermometer.protocols; print(sorted(sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "'pymodbus'" not in loaded and "'serial'" not in loaded
