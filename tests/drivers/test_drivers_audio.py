"""Tone files read back as real WAV audio, and the platform's player and speech engine found."""

from __future__ import annotations

import itertools
import wave
from pathlib import Path

import pytest

from drivers.audio import SAMPLE_RATE, Tone, find_player, find_speech, write_tones


def _samples(path: Path) -> list[int]:
    with wave.open(str(path)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        assert audio.getframerate() == SAMPLE_RATE
        raw = audio.readframes(audio.getnframes())
    return [int.from_bytes(raw[i : i + 2], "little", signed=True) for i in range(0, len(raw), 2)]


def _rising_zero_crossings(samples: list[int]) -> int:
    return sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)


def test_tones_have_their_pitch_and_length_with_silence_between(tmp_path: Path) -> None:
    path = write_tones(tmp_path / "two.wav", (Tone(660, 0.2), Tone(330, 0.1)), gap_s=0.05)
    samples = _samples(path)
    assert len(samples) == round(0.35 * SAMPLE_RATE)
    first, gap, second = samples[:3200], samples[3200:4000], samples[4000:]
    assert abs(_rising_zero_crossings(first) - 132) <= 2  # 660 Hz for 0.2 s
    assert abs(_rising_zero_crossings(second) - 33) <= 2  # 330 Hz for 0.1 s
    assert not any(gap)
    assert first[0] == 0 and abs(first[-1]) < 500  # faded in and out: no click
    assert max(map(abs, first)) > 15_000  # loud enough to hear in a booth


@pytest.mark.parametrize(
    ("platform", "found", "player", "speech"),
    [
        ("linux", {"aplay", "espeak-ng"}, "aplay", "espeak-ng"),
        ("linux", {"paplay", "espeak"}, "paplay", "espeak"),
        ("linux", set(), None, None),
        ("darwin", {"afplay", "say"}, "afplay", "say"),
        ("win32", {"powershell"}, "powershell", "powershell"),
    ],
)
def test_the_platforms_own_commands_are_chosen(
    platform: str, found: set[str], player: str | None, speech: str | None
) -> None:
    def which(name: str) -> str | None:
        return f"/usr/bin/{name}" if name in found else None

    chosen_player = find_player(which, platform)
    chosen_speech = find_speech(which, platform)
    assert (chosen_player.argv[0] if chosen_player else None) == player
    assert (chosen_speech.argv[0] if chosen_speech else None) == speech
    if chosen_speech is not None:
        assert chosen_speech.command("fr") is None  # no voice: nothing is spoken
        assert chosen_speech.command("zh") is not None


def test_this_machine_has_a_player_and_a_mandarin_voice() -> None:
    """scripts/bootstrap.sh installs alsa-utils and espeak-ng, as a Linux booth should have."""
    player, speech = find_player(), find_speech()
    assert player is not None and player.command(Path("a.wav"))[-1] == "a.wav"
    assert speech is not None and speech.command("zh") == ["espeak-ng", "-v", "cmn", "--stdin"]
