"""One passage's cost, step by step: decode a frame, verify the pass, decide, commit."""

from __future__ import annotations

import functools
import tempfile
import uuid
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from bench.report import Section, summary_ms, table, time_calls
from drivers.qr import make_decoder
from gatehouse.bundles.policy import booth_policy
from gatehouse.config import Config
from gatehouse.core.decision import Evidence, decide
from gatehouse.core.gatehouse_pass import verify_pass
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import TemperatureReading
from gatehouse.core.passage import Passage
from gatehouse.demo import DemoManifest
from gatehouse.store.ledger import Ledger


def _first_pass_frame(video: Path) -> tuple[np.ndarray, str]:
    decoder = make_decoder("zxing")
    capture = cv2.VideoCapture(str(video))
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                raise RuntimeError("no decodable frame in the demo video")
            texts = decoder.decode(np.asarray(frame, np.uint8))
            if texts:
                return frame, texts[0]
    finally:
        capture.release()


def _fresh(template: Passage) -> Passage:
    return replace(template, passage_id=uuid.uuid4().hex)


def run(quick: bool) -> list[Section]:
    repeats = 50 if quick else 1000
    manifest = DemoManifest.load()
    trust = TrustStore.from_json(manifest.trust_file.read_text(encoding="utf-8"))
    frame, text = _first_pass_frame(manifest.video)
    now = manifest.clock_start
    reading = TemperatureReading(36.5, now, "sensor")
    verified = verify_pass(text, trust)
    evidence = Evidence(text, verified, None, reading)
    policy = booth_policy(Config(), None, demo=True)
    decision = decide(evidence, policy, now)
    claims = verified.claims
    template = Passage(
        passage_id="",
        booth_id="bench",
        checkpoint_type="mine_gate",
        decided_at=now,
        clock_source="demo",
        scanned_text=text,
        code_kind="gatehouse-pass",
        pass_id=claims.pass_id,
        holder_name=claims.holder_name,
        id_masked=claims.id_masked,
        role=claims.role.value,
        temperature_c=36.5,
        temperature_source="sensor",
        outcome=decision.outcome,
        reasons=decision.reasons,
        policy_version=decision.policy_version,
    )
    rows = []
    for name in ("zxing", "pyzbar"):
        decoder = make_decoder(name)
        rows.append(
            (
                f"decode one 640x480 demo frame ({name})",
                *summary_ms(time_calls(functools.partial(decoder.decode, frame), repeats // 5)),
            )
        )
    rows.append(
        (
            "verify a GH1 pass (base45, zlib, COSE Ed25519, CBOR)",
            *summary_ms(time_calls(lambda: verify_pass(text, trust), repeats)),
        )
    )
    rows.append(
        (
            "decide (default pack, demo risk list)",
            *summary_ms(time_calls(lambda: decide(evidence, policy, now), repeats)),
        )
    )
    with (
        tempfile.TemporaryDirectory() as folder,
        Ledger.open(Path(folder) / "bench.sqlite3") as ledger,
    ):
        commit = time_calls(lambda: ledger.record(_fresh(template)).result(), repeats // 5)
    rows.append(
        ("commit one passage (WAL, synchronous=FULL, own writer thread)", *summary_ms(commit))
    )
    return [
        Section(
            title="One passage, step by step",
            method=(
                "`bench/bench_passage.py`: each step timed alone with `perf_counter`, on the "
                f"first pass frame of the demo video; {repeats} calls per step (decode and "
                f"commit {repeats // 5}). Commit latency includes the fsync of the temp folder's "
                "file system."
            ),
            body=table(("step", "median ms", "p95 ms"), rows),
        )
    ]
