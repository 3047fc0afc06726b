"""Says each verdict aloud: a tone pattern per outcome, then the spoken prompt.

A guard with a queue in front of them hears the outcome before looking up: one high tone for
admit, two for re-measure, three low ones for refer or turn away, then the prompt in the guard's
language ("体温正常,请通行"). Everything runs on the announcer's own thread. Announcements do
not queue up behind a slow speech engine: a new one stops the one playing and drops any still
waiting, so the loudspeaker always speaks about the person in front of the booth.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from drivers.audio import AudioPlayer, SpeechEngine, Tone, find_player, find_speech, write_tones
from gatehouse.config import UiSettings
from gatehouse.core.models import Outcome

log = logging.getLogger(__name__)

TONES: dict[Outcome, tuple[Tone, ...]] = {
    Outcome.ADMIT: (Tone(880, 0.25),),
    Outcome.REMEASURE: (Tone(660, 0.18),) * 2,
    Outcome.REFER: (Tone(440, 0.18),) * 3,
    Outcome.TURN_AWAY: (Tone(330, 0.2),) * 3,
}
GAP_S = 0.12
COMMAND_TIMEOUT_S = 20.0  # a player or engine that hangs longer is killed


class AnnouncementError(RuntimeError):
    """The player or speech engine failed; the message says which and why. ``tones_played``:
    the outcome's tones were heard before the speech failed (no need for another cue)."""

    def __init__(self, message: str, *, tones_played: bool = False) -> None:
        super().__init__(message)
        self.tones_played = tones_played


class Announcer:
    """Plays ``TONES`` through ``player`` and speaks through ``speech`` (either may be None)."""

    def __init__(self, player: AudioPlayer | None, speech: SpeechEngine | None) -> None:
        self.player = player
        self.speech = speech
        self._folder = tempfile.TemporaryDirectory(prefix="gatehouse-sounds-")
        self._lock = threading.Lock()
        self._generation = 0
        self._current: subprocess.Popen[bytes] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gatehouse-audio")
        self._reported: set[str] = set()  # each distinct failure is logged once, not per verdict

    def announce(self, outcome: Outcome, words: str, language: str) -> Future[bool]:
        """Play the outcome's tones, then speak ``words``; True once all of it was played,
        False when a newer announcement cut it short."""
        with self._lock:
            self._generation += 1
            generation = self._generation
            if self._current is not None:
                self._current.terminate()
        return self._worker.submit(self._announce, generation, outcome, words, language)

    def close(self) -> None:
        with self._lock:
            self._generation += 1
            if self._current is not None:
                self._current.terminate()
        self._worker.shutdown(wait=True)
        self._folder.cleanup()

    def _announce(self, generation: int, outcome: Outcome, words: str, language: str) -> bool:
        spoken = self.speech.command(language) if self.speech is not None and words else None
        tones_played = False
        try:
            if self.player is not None:
                if not self._run(generation, self.player.command(self._tone_file(outcome)), None):
                    return False
                tones_played = True
            return spoken is None or self._run(generation, spoken, words.encode())
        except (OSError, AnnouncementError) as failure:  # OSError: no such player, no temp file
            if str(failure) not in self._reported:
                self._reported.add(str(failure))
                log.warning("the loudspeaker failed: %s", failure)
            raise AnnouncementError(str(failure), tones_played=tones_played) from failure

    def _tone_file(self, outcome: Outcome) -> Path:
        path = Path(self._folder.name) / f"{outcome.label}.wav"
        return path if path.exists() else write_tones(path, TONES[outcome], GAP_S)

    def _run(self, generation: int, argv: list[str], text: bytes | None) -> bool:
        with self._lock:
            if generation != self._generation:
                return False
            process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE if text is not None else subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            self._current = process
        try:
            _, error = process.communicate(text, timeout=COMMAND_TIMEOUT_S)
        except subprocess.TimeoutExpired as late:
            process.kill()
            process.communicate()
            raise AnnouncementError(f"{argv[0]} did not finish in {late.timeout:.0f} s") from None
        finally:
            with self._lock:
                self._current = None
        with self._lock:
            cut_short = generation != self._generation
        if process.returncode != 0 and not cut_short:
            lines = error.decode(errors="replace").strip().splitlines()
            log.debug("%s said: %s", argv[0], "\n".join(lines))
            # the last lines say what failed ("Unknown PCM default", "audio open error"); the
            # rest is ALSA's configuration chatter, kept for the debug log only
            detail = " / ".join(lines[-2:]) or "no message"
            raise AnnouncementError(f"{argv[0]} exited with {process.returncode}: {detail}")
        return not cut_short


def announcer_for(settings: UiSettings) -> Announcer | None:
    """The platform's player and speech engine as ``[ui] sounds`` and ``speech`` ask; None
    when neither is wanted or found (the screen then beeps with the system beep)."""
    player = find_player() if settings.sounds == "auto" else None
    speech = find_speech() if settings.speech == "auto" else None
    return Announcer(player, speech) if player or speech else None
