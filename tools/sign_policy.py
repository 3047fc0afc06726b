"""Signs the built-in policy documents in resources/policy/ and writes their signer's trust file.

Run from the repository root: ``.venv/bin/python tools/sign_policy.py`` after editing
``default_pack.json`` or a risk-area list. Each ``X.json`` gets a ``X.cose`` (COSE_Sign1 over
the document) and ``builtin_signers.json`` names the public key. As with the demo media, the
signing key is fresh every run and never written to disk: nobody can sign more documents that
booths accept as built in; the office signs its own packs with its own key, which a booth
trusts through the policy signers file in its configuration.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from gatehouse.core.keys import TrustedKey, TrustStore, generate_issuer_key
from gatehouse.core.rules.pack import pack_from_data
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.rules.signed import sign_document

POLICY = Path(__file__).resolve().parent.parent / "resources" / "policy"
SIGNER = "Gatehouse built-in policy 内置规则"
DOCUMENTS = {
    "default_pack.json": pack_from_data,
    "risk_areas_seed.json": RiskAreaList.from_json_data,
    "risk_areas_demo.json": RiskAreaList.from_json_data,
}


def main() -> None:
    key = generate_issuer_key()
    for name, check in DOCUMENTS.items():
        document = json.loads((POLICY / name).read_text(encoding="utf-8"))
        check(document)  # never sign what a booth would refuse
        (POLICY / name).with_suffix(".cose").write_bytes(sign_document(document, key))
    signer = TrustedKey(key.public_key(), SIGNER, datetime(2020, 1, 1, tzinfo=UTC), None)
    (POLICY / "builtin_signers.json").write_text(
        TrustStore((signer,)).to_json() + "\n", encoding="utf-8"
    )
    print(f"signed {len(DOCUMENTS)} documents in {POLICY}")


if __name__ == "__main__":
    main()
