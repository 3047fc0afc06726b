"""Parsing and verifying one code of each kind, and the QR size a typical Gatehouse pass needs."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import segno

from bench.report import Section, summary_ms, table, time_calls
from drivers.qr import make_decoder
from gatehouse.core.code_reader import TrustMaterial, read_code
from gatehouse.core.dcc.signer import DccSigner
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustedKey, TrustStore, generate_issuer_key
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TestResult,
    TravelVisit,
    Vaccination,
)
from gatehouse.core.shc.issuers import issuer_from_jwks

TESTDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata"
DCC_CASE = TESTDATA / "dgc-testdata" / "common" / "2DCode" / "raw" / "CO28.json"
SHC = TESTDATA / "shc" / "examples-gh-pages"
NOW = datetime(2026, 11, 20, tzinfo=UTC)
ISSUER = "陕西某矿防疫办 Mine epidemic office"


def typical_pass(role: Role = Role.CONTRACTOR, **changes: Any) -> PassClaims:
    """A contractor's pass: code checked today, a test, four cities, ID hash and vaccination."""
    claims = PassClaims(
        pass_id="MINE3-2026-004217",
        holder_name="王建国",
        id_masked="6101**********1234",
        role=role,
        health_code=HealthCodeColour.GREEN,
        health_code_checked_at=NOW - timedelta(hours=2),
        test=NucleicAcidTest(NOW - timedelta(hours=20), TestResult.NEGATIVE),
        travel=tuple(
            TravelVisit(code, date(2026, 11, day))
            for code, day in (("610100", 8), ("610400", 10), ("150600", 13), ("150621", 17))
        ),
        issued_at=NOW,
        valid_from=NOW,
        valid_until=NOW + timedelta(days=7),
        id_hash=hmac.new(b"office secret", b"610102199001011234", hashlib.sha256).hexdigest(),
        vaccination=Vaccination(3, date(2022, 5, 1)),
    )
    return dataclasses.replace(claims, **changes)


def _qr_rows() -> list[tuple[object, ...]]:
    key = generate_issuer_key()
    variants = {
        "employee, no optional claims": typical_pass(Role.EMPLOYEE, id_hash=None, vaccination=None),
        "contractor, typical (ID hash, vaccination, 4 cities)": typical_pass(),
        "visitor, with host and approval": typical_pass(
            Role.VISITOR, host="李主任(安全科)", approval_id="FYB-2026-1120-031"
        ),
    }
    rows: list[tuple[object, ...]] = []
    for label, claims in variants.items():
        text = encode_pass(claims, key, ISSUER)
        qr = segno.make_qr(text, error="m")
        side = qr.symbol_size(border=0)[0]
        rows.append((label, len(text), qr.designator, f"{side}x{side}"))
    return rows


def _decodes_at_720p(text: str, module_px: float) -> bool:
    """The code drawn at ``module_px`` pixels per module, softened, in a 1280x720 frame."""
    matrix = np.pad(np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8), 4)
    side = round(matrix.shape[0] * module_px)
    code = cv2.resize(np.where(matrix > 0, 0, 255).astype(np.uint8), (side, side),
                      interpolation=cv2.INTER_AREA)  # fmt: skip
    frame = np.full((720, 1280), 110, dtype=np.uint8)
    top, left = (720 - side) // 2, (1280 - side) // 2
    frame[top : top + side, left : left + side] = code
    soft = cv2.cvtColor(cv2.GaussianBlur(frame, (0, 0), 0.8), cv2.COLOR_GRAY2BGR)
    return text in make_decoder("zxing").decode(np.asarray(soft, np.uint8))


def _scan_rows(text: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for module_px in (1.5, 2.0, 2.5, 3.0, 4.0):
        side = round((segno.make_qr(text, error="m").symbol_size(border=4)[0]) * module_px)
        rows.append((module_px, side, f"{side / 720:.0%}", _decodes_at_720p(text, module_px)))
    return rows


def _codes() -> list[tuple[str, str, TrustMaterial, datetime]]:
    key = generate_issuer_key()
    passes = TrustStore((TrustedKey(key.public_key(), ISSUER, NOW - timedelta(days=1), None),))
    codes = [
        ("Gatehouse pass (GH1, Ed25519)", encode_pass(typical_pass(), key, ISSUER),
         TrustMaterial(passes=passes), NOW),
    ]  # fmt: skip
    if DCC_CASE.exists():
        case = json.loads(DCC_CASE.read_text(encoding="utf-8"))
        signer = DccSigner.from_text(case["TESTCTX"]["CERTIFICATE"])
        clock = datetime.fromisoformat(case["TESTCTX"]["VALIDATIONCLOCK"].replace("Z", "+00:00"))
        codes.append(
            ("EU DCC (HC1, ES256)", case["PREFIX"], TrustMaterial(dcc_signers=(signer,)), clock)
        )
    if SHC.exists():
        well_known = SHC / "issuer" / ".well-known"
        jwks = (well_known / "jwks.json").read_text(encoding="utf-8")
        crls = {path.stem: path.read_text("utf-8") for path in (well_known / "crl").glob("*.json")}
        issuer = issuer_from_jwks("https://spec.smarthealth.cards/examples/issuer", jwks, crls)
        material = TrustMaterial(shc_issuers=(issuer,))
        for example, label in ((0, "1 chunk"), (2, "3 chunks")):
            chunks = sorted(SHC.glob(f"example-{example:02d}-f-qr-code-numeric-value-*.txt"))
            text = "\n".join(path.read_text(encoding="utf-8").strip() for path in chunks)
            codes.append((f"SMART Health Card ({label}, ES256)", text, material, NOW))
    table_text = json.dumps(
        {
            "format": "gatehouse-health-code-issuers/1",
            "issuers": [
                {
                    "id": f"p{n}",
                    "name_zh": f"省{n}",
                    "name_en": f"Province {n}",
                    "prefixes": [f"https://hc{n}.example.gov.cn/v/"],
                }
                for n in range(34)
            ],
        }
    )
    provincial = TrustMaterial(health_code_issuers=HealthCodeIssuers.from_json(table_text))
    codes += [
        ("provincial health code (34-issuer table)", "https://hc33.example.gov.cn/v/9f8e7d",
         provincial, NOW),
        ("unknown kind", "https://example.com/some/page", provincial, NOW),
        ("scanner-mangled pass (Caps Lock)", codes[0][1].swapcase(), codes[0][2], NOW),
    ]  # fmt: skip
    return codes


def run(quick: bool) -> list[Section]:
    repeats = 30 if quick else 500
    rows = []
    for label, text, material, at in _codes():
        scanned = read_code(text, material, at)
        samples = time_calls(functools.partial(read_code, text, material, at), repeats)
        rows.append((label, scanned.kind.value, scanned.verified, *summary_ms(samples)))
    return [
        Section(
            title="Reading one code of each kind",
            method=(
                "`bench/bench_credentials.py`: `read_code` (identify, decode, verify signature, "
                f"schema, validity, revocation) on one code of each kind, {repeats} calls each. "
                "EU DCC and SMART Health Cards come from the shared conformance data; a camera "
                "frame at 10 fps leaves 100 ms."
            ),
            body=table(("code", "kind", "verified", "median ms", "p95 ms"), rows),
        ),
        Section(
            title="Smallest typical pass zxing reads in a 720p frame",
            method=(
                "`bench/bench_credentials.py`: the typical contractor pass drawn at each module "
                "size into a 1280x720 frame (Gaussian blur sigma 0.8), decoded by zxing-cpp."
            ),
            body=table(
                ("px per module", "code side px", "of frame height", "decoded"),
                _scan_rows(encode_pass(typical_pass(), generate_issuer_key(), ISSUER)),
            ),
        ),
        Section(
            title="QR size of a Gatehouse pass",
            method=(
                "`bench/bench_credentials.py`: `encode_pass` text of typical passes, QR symbol "
                "chosen by segno at error correction level M (as printed and shown)."
            ),
            body=table(("pass", "characters", "QR version", "modules"), _qr_rows()),
        ),
    ]
