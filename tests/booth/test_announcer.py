"""The loudspeaker through real programs: the tones through aplay (ALSA's null device, since
test machines have no sound card) and the prompt through espeak-ng writing a WAV file."""

from __future__ import annotations

import wave
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import pytest

from drivers.audio import AudioPlayer, SpeechEngine
from gatehouse.booth.announcer import AnnouncementError, Announcer, announcer_for
from gatehouse.config import UiSettings
from gatehouse.core.models import Outcome

NULL_PLAYER = AudioPlayer(("aplay", "-q", "-D", "null", "{file}"))
VOICES = {"zh": "cmn", "en": "en"}
WAIT_S = 30


def speech_to(path: Path) -> SpeechEngine:
    return SpeechEngine(("espeak-ng", "-v", "{voice}", "--stdin", "-w", str(path)), VOICES)


def seconds_of(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


@pytest.fixture
def said(tmp_path: Path) -> Path:
    return tmp_path / "said.wav"


@pytest.fixture
def announcer(said: Path) -> Iterator[Announcer]:
    speaker = Announcer(NULL_PLAYER, speech_to(said))
    yield speaker
    speaker.close()


def test_a_verdict_is_played_then_spoken_in_mandarin(announcer: Announcer, said: Path) -> None:
    assert announcer.announce(Outcome.ADMIT, "体温正常,请通行", "zh").result(WAIT_S)
    assert 1.0 < seconds_of(said) < 10.0  # seven syllables spoken, not one "Chinese letter"
    assert announcer.announce(Outcome.TURN_AWAY, "", "zh").result(WAIT_S)  # nothing to say


def test_a_language_without_a_voice_is_not_spoken(announcer: Announcer, said: Path) -> None:
    assert announcer.announce(Outcome.REMEASURE, "Veuillez patienter", "fr").result(WAIT_S)
    assert not said.exists()


def test_a_newer_verdict_cuts_short_the_ones_before_it(announcer: Announcer, said: Path) -> None:
    long_speech = "请稍候,主管马上就到。" * 40  # takes espeak-ng a while to synthesise
    first = announcer.announce(Outcome.REFER, long_speech, "zh")
    waiting = [announcer.announce(Outcome.REFER, long_speech, "zh") for _ in range(5)]
    last = announcer.announce(Outcome.ADMIT, "Temperature normal, please go ahead.", "en")
    assert last.result(WAIT_S) is True
    assert [f.result(WAIT_S) for f in waiting] == [False] * 5  # dropped, never started
    assert first.result(WAIT_S) is False  # stopped mid-sentence
    assert seconds_of(said) < 10.0  # the file holds the last, short announcement


def test_a_failing_player_is_reported_with_its_own_words(said: Path) -> None:
    broken = Announcer(AudioPlayer(("aplay", "-q", "-D", "no-such-device", "{file}")), None)
    try:
        failed: Future[bool] = broken.announce(Outcome.ADMIT, "", "en")
        with pytest.raises(AnnouncementError, match=r"aplay exited with 1: .*no-such-device"):
            failed.result(WAIT_S)
    finally:
        broken.close()


def test_a_missing_player_or_a_failing_voice_says_whether_the_tones_were_heard(
    said: Path,
) -> None:
    """The screen beeps instead only when the tones were not heard."""
    no_player = Announcer(AudioPlayer(("no-such-player", "{file}")), speech_to(said))
    no_voice = Announcer(NULL_PLAYER, SpeechEngine(("espeak-ng", "-v", "{voice}", "--stdin"), {}))
    bad_voice = Announcer(
        NULL_PLAYER, SpeechEngine(("espeak-ng", "-v", "{voice}", "--stdin"), {"zh": "nosuch"})
    )
    try:
        missing = no_player.announce(Outcome.REFER, "请稍候", "zh").exception(WAIT_S)
        assert isinstance(missing, AnnouncementError) and not missing.tones_played
        assert "no-such-player" in str(missing) and not said.exists()  # nothing after the tones
        assert no_voice.announce(Outcome.REFER, "请稍候", "zh").result(WAIT_S)  # no voice: tones
        failed = bad_voice.announce(Outcome.REFER, "请稍候", "zh").exception(WAIT_S)
        assert isinstance(failed, AnnouncementError) and failed.tones_played
        assert str(failed).startswith("espeak-ng exited with 1: ")
    finally:
        for announcer in (no_player, no_voice, bad_voice):
            announcer.close()


def test_settings_choose_what_is_wanted() -> None:
    assert announcer_for(UiSettings(sounds="off", speech="off")) is None
    speech_only = announcer_for(UiSettings(sounds="beep"))
    assert speech_only is not None
    try:
        assert speech_only.player is None and speech_only.speech is not None
    finally:
        speech_only.close()
