"""One real code of every kind the booth meets, with the trust material and a moment it verifies.

EU DCC and SMART Health Card texts are the published test data (shared/testdata, read in
place); the provincial code uses a test issuer table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.dcc.signer import DccSigner
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.rules.pack import RulePack
from gatehouse.core.shc.issuers import issuer_from_jwks
from tests.core.factories import CLAIMS, ISSUER, NOW, trust_for
from tests.core.policies import DEFAULT_PACK, with_checkpoint
from tests.core.shared_testdata import DGC_ROOT, SHC_ROOT

SHC_ISS = "https://spec.smarthealth.cards/examples/issuer"
SHC_WELL_KNOWN = SHC_ROOT / "issuer" / ".well-known"
DCC_PCR_TEST = DGC_ROOT / "AT" / "2DCode" / "raw" / "3.json"  # a verified NAAT test certificate
DCC_VACCINATION = DGC_ROOT / "AT" / "2DCode" / "raw" / "1.json"
PROVINCIAL = "https://hc.example.sn.gov.cn/v/8f3a9c"
ISSUER_TABLE = {
    "format": "gatehouse-health-code-issuers/1",
    "issuers": [
        {
            "id": "sn",
            "name_zh": "陕西一码通",
            "name_en": "Shaanxi health code",
            "prefixes": ["https://hc.example.sn.gov.cn/v/"],
        }
    ],
}
ISSUERS = HealthCodeIssuers.from_json(json.dumps(ISSUER_TABLE))
ALL_KINDS = frozenset({"gatehouse-pass", "eu-dcc", "shc", "provincial-health-code"})


@dataclass(frozen=True)
class Code:
    kind: str
    text: str
    moment: datetime  # when it verifies
    trust: TrustMaterial


def accepting_pack() -> RulePack:
    """The default pack with a mine gate that accepts every code kind and attested codes."""
    return with_checkpoint(DEFAULT_PACK, accepted_code_kinds=ALL_KINDS, allow_attested=True)


def dcc_case(path: Path) -> tuple[str, DccSigner, datetime]:
    case = json.loads(path.read_text(encoding="utf-8"))
    context = case["TESTCTX"]
    moment = datetime.fromisoformat(context["VALIDATIONCLOCK"].replace("Z", "+00:00"))
    return case["PREFIX"], DccSigner.from_text(context["CERTIFICATE"]), moment


def shc_chunks(example: int) -> list[str]:
    paths = sorted(SHC_ROOT.glob(f"example-{example:02d}-f-qr-code-numeric-value-*.txt"))
    return [path.read_text().strip() for path in paths]


def shc_issuer_file(folder: Path) -> Path:
    """The example issuer as an issuer file (URL, JWKS, revocation lists), as an office sends it."""
    crls = [json.loads(p.read_text()) for p in sorted((SHC_WELL_KNOWN / "crl").glob("*.json"))]
    document = {
        "shc_issuer": SHC_ISS,
        "jwks": json.loads((SHC_WELL_KNOWN / "jwks.json").read_text()),
        "crls": crls,
    }
    path = folder / "shc-issuer.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def every_kind(key: Ed25519PrivateKey) -> list[Code]:
    dcc_text, signer, dcc_moment = dcc_case(DCC_PCR_TEST)
    crls = {p.stem: p.read_text() for p in (SHC_WELL_KNOWN / "crl").glob("*.json")}
    shc = issuer_from_jwks(SHC_ISS, (SHC_WELL_KNOWN / "jwks.json").read_text(), crls)
    base = TrustMaterial(health_code_issuers=ISSUERS)
    shc_moment = datetime.fromisoformat("2024-01-01T00:00:00+00:00")
    pass_text = encode_pass(CLAIMS, key, ISSUER)
    return [
        Code("gatehouse-pass", pass_text, NOW, TrustMaterial(passes=trust_for(key))),
        Code("eu-dcc", dcc_text, dcc_moment, TrustMaterial(dcc_signers=(signer,))),
        Code("shc", "\n".join(shc_chunks(2)), shc_moment, TrustMaterial(shc_issuers=(shc,))),
        Code("provincial-health-code", PROVINCIAL, NOW, base),
        Code("unknown", "https://example.org/poster", NOW, base),
        Code("scanner-mangled", pass_text.swapcase(), NOW, base),
    ]
