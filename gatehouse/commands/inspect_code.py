"""``gatehouse inspect-code``: what the booth makes of one code, as one JSON object.

For a supervisor examining a disputed code, and for conformance runs: the same
``read_code`` the booth uses, at the time given (``--at``) and with the trust material given
(``--trust``, repeatable), so an old or foreign code can be judged as the booth judged it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gatehouse.core.code_reader import ScannedCode, TrustMaterial

ISSUER_TABLE = ("health_code_issuers.json",)


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a UTC offset, e.g. Z or +08:00")
    return moment


def _text(args: argparse.Namespace) -> str:
    from gatehouse.commands.errors import CommandError

    if args.image is not None:
        return _text_from_image(args.image)
    if args.text == "-":
        return sys.stdin.read()
    if args.text is None:
        raise CommandError("give the code with --text TEXT, --text - (stdin) or --image FILE")
    return str(args.text)


def _text_from_image(path: Path) -> str:
    import cv2  # OpenCV loads only when an image is given
    import numpy as np

    from drivers.qr import make_decoder
    from gatehouse.commands.errors import CommandError

    frame = cv2.imread(str(path), cv2.IMREAD_COLOR) if path.is_file() else None
    if frame is None:
        raise CommandError(f"{path}: not an image OpenCV can read")
    texts = make_decoder("auto").decode(np.asarray(frame, dtype=np.uint8))
    if not texts:
        raise CommandError(f"{path}: no QR code found")
    # The chunks of one SMART Health Card may be photographed together; else the first code.
    return "\n".join(texts) if all(t.startswith("shc:/") for t in texts) else texts[0]


def _trust(args: argparse.Namespace) -> TrustMaterial:
    from gatehouse.bundles.trust import given_trust
    from gatehouse.commands.errors import CommandError
    from gatehouse.core.code_reader import TrustMaterial
    from gatehouse.core.health_codes import HealthCodeIssuers
    from gatehouse.core.keys import public_key_from_pem
    from gatehouse.core.trust_sources import combine
    from gatehouse.resources import resource_path

    roots = [public_key_from_pem(path.read_bytes()) for path in args.root_key]
    pairs = [(iss, Path(jwks)) for iss, jwks in args.shc_issuer]
    try:
        materials = given_trust(args.trust, roots, pairs)
    except (ValueError, OSError) as exc:
        raise CommandError(f"trust material not usable: {exc}") from exc
    for problem in (problem for material in materials for problem in material.refused):
        print(f"warning: {problem}", file=sys.stderr)
    table = resource_path(*ISSUER_TABLE)
    issuers = HealthCodeIssuers.from_json(table.read_text(encoding="utf-8"))
    return combine([*materials, TrustMaterial(health_code_issuers=issuers)])


def scanned_json(scanned: ScannedCode, at: datetime) -> dict[str, Any]:
    return {
        "kind": scanned.kind.value,
        "verified": scanned.verified,
        "issuer": scanned.issuer,
        "at": at.isoformat(),
        "claims": scanned.claims,
        "reasons": [
            {"code": r.code, "outcome": r.outcome.label, "en": r.en, "zh": r.zh}
            for r in scanned.reasons
        ],
    }


def _inspect(args: argparse.Namespace) -> int:
    from gatehouse.core.code_reader import read_code

    at = args.at or datetime.now(UTC)
    scanned = read_code(_text(args), _trust(args), at)
    print(json.dumps(scanned_json(scanned, at), ensure_ascii=False, indent=2))
    return 0 if scanned.verified else 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    inspect = sub.add_parser(
        "inspect-code",
        help="print, as JSON, what the booth makes of a code (kind, verified, claims, reasons)",
        description="Exit status: 0 verified, 3 not verified, 1 bad arguments or files.",
    )
    source = inspect.add_mutually_exclusive_group()
    source.add_argument("--text", help="the QR text; - reads it from standard input")
    source.add_argument("--image", type=Path, help="a photo or picture of the QR code")
    inspect.add_argument("--at", type=_moment, help="validation time, ISO 8601 (default: now)")
    inspect.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        help="trust list, trust file, SMART Health Card issuer file or X.509 signing "
        "certificate; repeatable",
    )
    inspect.add_argument(
        "--shc-issuer",
        nargs=2,
        metavar=("ISS", "JWKS"),
        action="append",
        default=[],
        help="a SMART Health Card issuer URL (https://…, no trailing slash) and its JWKS file "
        "(revocation lists in crl/<kid>.json beside it); repeatable",
    )
    inspect.add_argument(
        "--root-key",
        type=Path,
        action="append",
        default=[],
        help="the office's root public key (PEM) that signs trust lists; repeatable",
    )
    inspect.set_defaults(handler=_inspect)
