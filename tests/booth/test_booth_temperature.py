"""The booth's temperature is the stable plateau a guard reads after the beep, flagged when
no forehead could give it, and decided on as such."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from drivers.thermometer.stability import StableReadingDetector
from gatehouse import config
from gatehouse.booth.devices import stability_detector
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature, is_plausible
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import Outcome
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, trust_for
from tests.core.policies import policy


def feed_all(temperature: LatestTemperature, values: list[float]) -> list[float]:
    """The measurements the raw readings completed, in order."""
    found = []
    for value in values:
        reading = temperature.feed(RawReading(value, ambient_celsius=21.0))
        if reading is not None:
            found.append(reading.celsius)
    return found


def test_a_forehead_approaching_holding_and_leaving_is_one_measurement(
    clock: FixedClock,
) -> None:
    now = [100.0]
    temperature = LatestTemperature(
        clock, "sensor", StableReadingDetector(), monotonic=lambda: now[0]
    )
    assert not temperature.measured_within(60.0)
    assert feed_all(temperature, [24.0, 31.5, 35.8, 36.5, 36.6, 36.5, 36.6, 30.2]) == [36.5]
    latest = temperature.latest()
    assert latest is not None
    assert (latest.celsius, latest.ambient_celsius, latest.taken_at) == (36.5, 21.0, clock.moment)
    now[0] = 110.0
    assert temperature.measured_within(10.0)
    assert not temperature.measured_within(9.0)


def test_a_device_that_sends_once_per_beep_has_every_reading_counted(
    clock: FixedClock,
) -> None:
    temperature = LatestTemperature(clock, "sensor", detector=None)
    assert feed_all(temperature, [36.5, 36.5, 37.9]) == [36.5, 36.5, 37.9]


def test_implausible_plateaus_are_kept_and_flagged(clock: FixedClock) -> None:
    temperature = LatestTemperature(clock, "sensor", StableReadingDetector())
    assert feed_all(temperature, [36.5, 36.5, 36.5, 22.0, 22.1, 22.0]) == [36.5, 22.0]
    latest = temperature.latest()
    assert latest is not None
    assert latest.celsius == 22.0  # the person's own reading, not the one before them
    assert not is_plausible(latest)


def test_an_implausible_measurement_makes_the_booth_ask_to_re_measure(
    ledger: Ledger, clock: FixedClock
) -> None:
    key: Ed25519PrivateKey = generate_issuer_key()
    temperature = LatestTemperature(clock, "sensor", StableReadingDetector())
    feed_all(temperature, [28.4, 28.5, 28.4])  # forehead after the wind, or no forehead at all
    service = BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=TrustMaterial(passes=trust_for(key)),
        policy=policy(),
        clock=clock,
        ledger=ledger,
        temperature=temperature,
    )
    result = service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
    result.saved.result(timeout=10)
    assert result.passage.outcome is Outcome.REMEASURE
    reasons = {r.code: r for r in result.passage.reasons}
    assert "temp.low" in reasons
    assert reasons["temp.low"].params.get("ambient_c") == 21.0  # the device's ambient, recorded
    assert result.passage.temperature_c == 28.4


def test_the_thermometer_setting_chooses_how_readings_become_measurements() -> None:
    def settings(**thermometer: object) -> config.ThermometerSettings:
        return config.from_mapping({"thermometer": thermometer}, environ={}).thermometer

    assert isinstance(stability_detector(settings()), StableReadingDetector)
    assert stability_detector(settings(stable_readings=1)) is None
    with pytest.raises(config.ConfigError, match="stable_readings must be at least 1"):
        settings(stable_readings=0)


def test_a_typed_value_holds_off_the_device_until_a_passage_used_it(clock: FixedClock) -> None:
    now = [100.0]
    temperature = LatestTemperature(clock, "sensor", detector=None, monotonic=lambda: now[0])
    typed = temperature.update(RawReading(38.2), source="manual")
    assert temperature.feed(RawReading(36.5)) is None  # the device does not overwrite it
    assert temperature.latest() is typed
    temperature.used(typed)  # one person was decided on it
    device = temperature.feed(RawReading(36.5))
    assert device is not None and temperature.latest() is device
    temperature.update(RawReading(37.0), source="manual")
    now[0] += 121  # nobody came: after the hold the device is believed again
    assert temperature.feed(RawReading(36.4)) is not None
