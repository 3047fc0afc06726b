"""The booth's loudspeaker: tone patterns as WAV files, and the platform's player and speech.

PySide6-Essentials ships neither QtMultimedia nor QtTextToSpeech, so sound goes through what
the platform has: a command-line player (``aplay`` on Linux, ``afplay`` on macOS, PowerShell's
``Media.SoundPlayer`` on Windows) and a speech engine that reads its text on standard input
(``espeak-ng``/``espeak`` on Linux, ``say`` on macOS, PowerShell's ``System.Speech`` on
Windows). Either may be missing; the caller then falls back (the system beep, no speech).
"""

from __future__ import annotations

import math
import shutil
import struct
import sys
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_RATE = 16_000
_AMPLITUDE = 0.6 * 32_767
_FADE_S = 0.01  # ramps at both ends, so a tone starts and stops without a click

Which = Callable[[str], str | None]


@dataclass(frozen=True)
class Tone:
    frequency_hz: float
    duration_s: float


def write_tones(path: Path, tones: Sequence[Tone], gap_s: float) -> Path:
    """A 16-bit mono WAV of ``tones`` one after another with ``gap_s`` of silence between."""
    frames = bytearray()
    for index, tone in enumerate(tones):
        if index:
            frames += bytes(2 * round(gap_s * SAMPLE_RATE))
        count = round(tone.duration_s * SAMPLE_RATE)
        fade = max(1, round(_FADE_S * SAMPLE_RATE))
        for n in range(count):
            envelope = min(1.0, n / fade, (count - 1 - n) / fade)
            phase = 2 * math.pi * tone.frequency_hz * n / SAMPLE_RATE
            frames += struct.pack("<h", round(envelope * _AMPLITUDE * math.sin(phase)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return path


@dataclass(frozen=True)
class AudioPlayer:
    """A command that plays one WAV file and exits; ``{file}`` in ``argv`` is the file."""

    argv: tuple[str, ...]

    def command(self, file: Path) -> list[str]:
        return [part.replace("{file}", str(file)) for part in self.argv]


@dataclass(frozen=True)
class SpeechEngine:
    """A command that speaks the text on its standard input; ``{voice}`` in ``argv`` is the
    voice for the language (``voices``: language code -> the engine's voice name)."""

    argv: tuple[str, ...]
    voices: Mapping[str, str] = field(default_factory=dict)

    def command(self, language: str) -> list[str] | None:
        """None when the engine has no voice for ``language``."""
        voice = self.voices.get(language)
        if voice is None:
            return None
        return [part.replace("{voice}", voice) for part in self.argv]


_POWERSHELL = ("powershell", "-NoProfile", "-NonInteractive", "-Command")
_WINDOWS_SPEECH = (
    "Add-Type -AssemblyName System.Speech; "
    "$s = New-Object System.Speech.Synthesis.SpeechSynthesizer; "
    "$s.SelectVoiceByHints('NotSet', 'NotSet', 0, [Globalization.CultureInfo]'{voice}'); "
    "$s.Speak([Console]::In.ReadToEnd())"
)


def find_player(which: Which = shutil.which, platform: str = sys.platform) -> AudioPlayer | None:
    """The platform's WAV player, or None."""
    if platform == "win32":
        script = "(New-Object Media.SoundPlayer '{file}').PlaySync()"
        return AudioPlayer((*_POWERSHELL, script)) if which("powershell") else None
    if platform == "darwin":
        return AudioPlayer(("afplay", "{file}")) if which("afplay") else None
    for argv in (("aplay", "-q", "{file}"), ("paplay", "{file}"), ("pw-play", "{file}")):
        if which(argv[0]):
            return AudioPlayer(argv)
    return None


def find_speech(which: Which = shutil.which, platform: str = sys.platform) -> SpeechEngine | None:
    """The platform's speech engine with Mandarin and English voices, or None."""
    if platform == "win32":
        voices = {"zh": "zh-CN", "en": "en-US"}
        found = which("powershell")
        return SpeechEngine((*_POWERSHELL, _WINDOWS_SPEECH), voices) if found else None
    if platform == "darwin":
        voices = {"zh": "Tingting", "en": "Samantha"}
        return SpeechEngine(("say", "-v", "{voice}", "-f", "-"), voices) if which("say") else None
    for name, mandarin in (("espeak-ng", "cmn"), ("espeak", "zh")):
        if which(name):
            return SpeechEngine((name, "-v", "{voice}", "--stdin"), {"zh": mandarin, "en": "en"})
    return None
