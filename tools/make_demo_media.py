"""Generates resources/demo/: the demo video of passes, the demo issuer's trust file, the manifest.

Run from the repository root: ``.venv/bin/python tools/make_demo_media.py``. The output is
deterministic except for the signing key, which is fresh every run and never written to disk:
nobody can mint more demo passes, and the demo issuer is trusted only in demo mode anyway.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import cbor2
import cv2
import numpy as np
import segno

from gatehouse.core.base45 import b45decode, b45encode
from gatehouse.core.gatehouse_pass import PASS_PREFIX, encode_pass
from gatehouse.core.keys import TrustedKey, TrustStore, generate_issuer_key
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TestResult,
    TravelVisit,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "demo"
CLOCK_START = datetime(2026, 11, 20, 0, 0, tzinfo=UTC)  # 08:00 in Beijing
ISSUER = "Demo Mine Epidemic Office 演示矿防疫办"
FPS = 10
SIZE = (640, 480)
SHOW_S, GAP_S = 3.0, 1.0


@dataclass(frozen=True)
class DemoCard:
    claims: PassClaims
    expected: str
    why: str
    tamper_to_green: bool = False


def _claims(
    pass_id: str,
    name: str,
    role: Role,
    colour: HealthCodeColour,
    test_hours: float,
    valid_until: datetime,
) -> PassClaims:
    return PassClaims(
        pass_id=pass_id,
        holder_name=name,
        id_masked="6101**********" + pass_id[-4:].replace("-", "0"),
        role=role,
        health_code=colour,
        health_code_checked_at=CLOCK_START - timedelta(hours=1),
        test=NucleicAcidTest(CLOCK_START - timedelta(hours=test_hours), TestResult.NEGATIVE),
        travel=(
            TravelVisit("150600", date(2026, 11, 15)),  # 鄂尔多斯市
            TravelVisit("150621", date(2026, 11, 18)),  # 达拉特旗
        ),
        issued_at=CLOCK_START - timedelta(days=1),
        valid_from=CLOCK_START - timedelta(days=1),
        valid_until=valid_until,
    )


def demo_cards() -> list[DemoCard]:
    later = CLOCK_START + timedelta(days=30)
    green, yellow, red = HealthCodeColour.GREEN, HealthCodeColour.YELLOW, HealthCodeColour.RED
    return [
        DemoCard(
            _claims("DEMO-0001", "王伟", Role.EMPLOYEE, green, 10, later),
            "ADMIT",
            "green code, test 10 h old",
        ),
        DemoCard(
            _claims("DEMO-0002", "李娜", Role.CONTRACTOR, yellow, 10, later),
            "TURN_AWAY",
            "yellow health code",
        ),
        DemoCard(
            _claims("DEMO-0003", "张强", Role.EMPLOYEE, green, 60, later),
            "TURN_AWAY",
            "test 60 h old",
        ),
        DemoCard(
            _claims("DEMO-0004", "刘洋", Role.VISITOR, red, 10, later),
            "TURN_AWAY",
            "forged: a red pass edited to green after signing",
            tamper_to_green=True,
        ),
        DemoCard(
            _claims("DEMO-0005", "陈静", Role.DRIVER, green, 20, later),
            "ADMIT",
            "green code, test 20 h old",
        ),
        DemoCard(
            _claims(
                "DEMO-0006", "赵磊", Role.EMPLOYEE, green, 10, CLOCK_START - timedelta(hours=2)
            ),
            "TURN_AWAY",
            "pass expired",
        ),
    ]


def tamper_to_green(text: str) -> str:
    """What a forger does: edit the colour in the signed payload and keep the old signature."""
    cose = cbor2.loads(zlib.decompress(b45decode(text[len(PASS_PREFIX) :])))
    protected, unprotected, payload, signature = cose.value
    claims = cbor2.loads(payload)
    claims["hc"] = HealthCodeColour.GREEN.value
    forged = cbor2.CBORTag(cose.tag, [protected, unprotected, cbor2.dumps(claims), signature])
    return PASS_PREFIX + b45encode(zlib.compress(cbor2.dumps(forged), 9))


def _qr_image(text: str, module_px: int) -> np.ndarray:
    matrix = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
    matrix = np.pad(matrix, 4)  # quiet zone
    image = np.where(matrix > 0, 0, 255).astype(np.uint8)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


def _background(rng: np.random.Generator) -> np.ndarray:
    width, height = SIZE
    ramp = np.linspace(70, 120, width, dtype=np.float32)[None, :].repeat(height, 0)
    noise = rng.normal(0, 4, (height, width)).astype(np.float32)
    grey = np.clip(ramp + noise, 0, 255).astype(np.uint8)
    return cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)


def _card_frame(text: str, label: str, background: np.ndarray, t: float) -> np.ndarray:
    frame = background.copy()
    qr = _qr_image(text, module_px=4)
    side = qr.shape[0]
    dx, dy = int(6 * np.sin(t * 2.1)), int(4 * np.cos(t * 1.7))  # a hand is never still
    x0, y0 = (SIZE[0] - side) // 2 + dx, (SIZE[1] - side) // 2 + 20 + dy
    cv2.rectangle(frame, (x0 - 20, y0 - 70), (x0 + side + 20, y0 + side + 40), (245, 245, 245), -1)
    cv2.putText(
        frame, "GATEHOUSE PASS", (x0, y0 - 38), cv2.FONT_HERSHEY_SIMPLEX, 0.7, (40, 40, 40), 2
    )
    cv2.putText(frame, label, (x0, y0 - 12), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (90, 90, 90), 1)
    frame[y0 : y0 + side, x0 : x0 + side] = qr[:, :, None]
    return cv2.GaussianBlur(frame, (3, 3), 0.8)


def write_video(cards: list[tuple[str, str]], path: Path) -> None:
    # One still scene behind every frame keeps the file small.
    background = _background(np.random.default_rng(20261120))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), FPS, SIZE)
    if not writer.isOpened():
        raise RuntimeError(f"OpenCV cannot write {path}")
    frame_index = 0
    for text, label in cards:
        for _ in range(int(GAP_S * FPS)):
            writer.write(background)
            frame_index += 1
        for _ in range(int(SHOW_S * FPS)):
            writer.write(_card_frame(text, label, background, frame_index / FPS))
            frame_index += 1
    writer.release()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    key = generate_issuer_key()
    trust = TrustStore(
        (
            TrustedKey(
                public_key=key.public_key(),
                issuer=ISSUER,
                valid_from=CLOCK_START - timedelta(days=365),
                valid_until=CLOCK_START + timedelta(days=3650),
            ),
        )
    )
    (OUT / "demo_trust.json").write_text(trust.to_json() + "\n", encoding="utf-8")
    rendered = []
    for card in demo_cards():
        claims = card.claims
        if card.tamper_to_green:
            text = tamper_to_green(encode_pass(claims, key, ISSUER))
        else:
            text = encode_pass(claims, key, ISSUER)
        rendered.append((text, f"{claims.pass_id}  (demo)"))
    write_video(rendered, OUT / "demo.mp4")
    manifest = {
        "clock_start": CLOCK_START.isoformat(),
        "video": "demo.mp4",
        "trust_file": "demo_trust.json",
        "temperatures": [36.4, 36.5, 36.6, 36.5, 36.7, 36.5],
        "passes": [
            {
                "pass_id": c.claims.pass_id,
                "holder": c.claims.holder_name,
                "expected": c.expected,
                "why": c.why,
                "forged": c.tamper_to_green,
            }
            for c in demo_cards()
        ],
    }
    (OUT / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {OUT}: {len(rendered)} passes, {(OUT / 'demo.mp4').stat().st_size} bytes video")


if __name__ == "__main__":
    main()
