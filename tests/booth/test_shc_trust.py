"""SMART Health Card trust at the booth: every JWKS belongs to one issuer URL (issuer files, the
``shc/<host>/<path>/.well-known/`` mirror, the hub's ``certificates`` bundle), and a refused
revocation list leaves the last good one in force, across restarts, recorded for the supervisor.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from gatehouse import config
from gatehouse.bundles.trust import RefusalRecorder, booth_trust
from gatehouse.config import Config
from gatehouse.core.code_reader import read_code
from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle
from tests.booth.codes import SHC_ISS, SHC_WELL_KNOWN, shc_chunks
from tests.core.factories import NOW
from tests.core.shared_testdata import SHC_ROOT
from tests.core.shc_factory import card, crl, jwk

AT = datetime(2024, 1, 1, tzinfo=UTC)
OWN = "https://health.example.org/shc"


def _config(tmp_path: Path) -> Config:
    cfg = config.from_mapping({}, environ={})
    folder = tmp_path / "certificates"
    folder.mkdir(exist_ok=True)
    keys = str(tmp_path / "booth" / "trusted_keys.json")
    return replace(cfg, trust=replace(cfg.trust, keys_file=keys, certificates_dir=str(folder)))


def _folder(cfg: Config) -> Path:
    return Path(cfg.trust.certificates_dir)


@pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
def test_mirror_of_the_issuer_site_binds_the_jwks_to_its_url(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    site = _folder(cfg) / "shc" / "spec.smarthealth.cards" / "examples" / "issuer"
    shutil.copytree(SHC_WELL_KNOWN, site / ".well-known")
    trust = booth_trust(cfg, demo=False)
    good = read_code("\n".join(shc_chunks(0)), trust, AT)
    assert good.verified and good.issuer == SHC_ISS
    assert read_code("\n".join(shc_chunks(3)), trust, AT).reasons[0].code == "shc.revoked"


@pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
def test_mirror_under_another_site_does_not_verify_the_examples(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    shutil.copytree(SHC_WELL_KNOWN, _folder(cfg) / "shc" / "other.example" / ".well-known")
    scanned = read_code("\n".join(shc_chunks(0)), booth_trust(cfg, demo=False), AT)
    assert [r.code for r in scanned.reasons] == ["shc.wrong_issuer"] and scanned.issuer is None


@pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
def test_bare_jwks_in_the_folder_is_refused_with_its_reason(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    shutil.copy(SHC_WELL_KNOWN / "jwks.json", _folder(cfg) / "jwks.json")
    trust = booth_trust(cfg, demo=False)
    assert not trust.shc_issuers
    assert "only with the issuer URL" in trust.refused[0]


def _issuer_file(key: ec.EllipticCurvePrivateKey, *crls: str) -> dict[str, Any]:
    return {
        "shc_issuer": OWN,
        "jwks": {"keys": [jwk(key, crlVersion=1)]},
        "crls": [json.loads(text) for text in crls],
    }


def test_refused_revocation_list_keeps_the_last_good_across_restarts(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    path = _folder(cfg) / "own.json"
    revoked = card(key, OWN, rid="gone")

    path.write_text(json.dumps(_issuer_file(key, crl(key, 1, "gone"))))
    first = booth_trust(cfg, demo=False, keep=True)
    assert read_code(revoked, first, NOW).reasons[0].code == "shc.revoked"
    assert first.refused == ()

    path.write_text(json.dumps(_issuer_file(key, crl(key, 1, "x", "x"))))  # a rid twice
    second = booth_trust(cfg, demo=False, keep=True)  # a restart: only the files are left
    assert read_code(revoked, second, NOW).reasons[0].code == "shc.revoked"
    assert "listed twice" in second.refused[0] and "stays in force" in second.refused[0]
    assert read_code(card(key, OWN, rid="other"), second, NOW).verified

    path.write_text(json.dumps(_issuer_file(key)))  # the list left out altogether
    third = booth_trust(cfg, demo=False, keep=True)
    assert read_code(revoked, third, NOW).reasons[0].code == "shc.revoked"


@pytest.mark.parametrize(
    "crls",
    [
        "not a list",
        [{"method": "rid", "ctr": 1, "rids": []}],  # names no key
        "twice",
    ],
)
def test_malformed_lists_in_an_issuer_file_cost_the_issuer_nothing(
    tmp_path: Path, crls: Any
) -> None:
    cfg = _config(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    path = _folder(cfg) / "own.json"
    path.write_text(json.dumps(_issuer_file(key, crl(key, 1, "gone"))))
    booth_trust(cfg, demo=False, keep=True)  # the good list is now in force
    if crls == "twice":
        crls = [json.loads(crl(key, 1)), json.loads(crl(key, 1))]
    path.write_text(json.dumps({**_issuer_file(key), "crls": crls}))
    trust = booth_trust(cfg, demo=False)
    assert len(trust.refused) == 1 and trust.refused[0].startswith(OWN)
    assert read_code(card(key, OWN, rid="gone"), trust, NOW).reasons[0].code == "shc.revoked"
    assert read_code(card(key, OWN, rid="fine"), trust, NOW).verified


class _Hub:
    def __init__(self, certificates: dict[str, Any]) -> None:
        self._bundle = StoredBundle("certificates", 1, certificates, b"", "e", AT, AT)

    def bundle(self, name: str) -> StoredBundle | None:
        return self._bundle if name == "certificates" else None


def test_read_only_use_keeps_nothing(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    (_folder(cfg) / "own.json").write_text(json.dumps(_issuer_file(key, crl(key, 1, "gone"))))
    trust = booth_trust(cfg, demo=False)  # as gatehouse decide / dry-run read it
    assert read_code(card(key, OWN, rid="gone"), trust, NOW).reasons[0].code == "shc.revoked"
    assert not (tmp_path / "booth").exists()


def test_hub_certificates_bundle_carries_issuer_files(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    key, other = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))
    hub = _Hub(
        {
            "own": _issuer_file(key, crl(key, 1, "gone")),
            "bare": json.dumps({"keys": [jwk(other)]}),
        }
    )
    trust = booth_trust(cfg, demo=False, hub=hub)
    assert read_code(card(key, OWN, rid="fine"), trust, NOW).issuer == OWN
    assert read_code(card(key, OWN, rid="gone"), trust, NOW).reasons[0].code == "shc.revoked"
    # its key was in the refused item: not checkable, so referred rather than turned away
    assert read_code(card(other, OWN), trust, NOW).reasons[0].code == "trust.incomplete"
    assert [problem.split(":")[0] for problem in trust.refused] == ["hub certificate bare"]


def test_refusals_are_recorded_once_as_an_audit_event(ledger: Ledger) -> None:
    record = RefusalRecorder(ledger, "gate-1")
    bad = ("issuer file x: revocation list refused",)
    record(bad)
    record(bad)  # still refused: not recorded again
    record(())
    record(bad)  # refused again after being fixed: recorded again
    ledger.close()
    with sqlite3.connect(ledger.path) as db:
        rows = db.execute("SELECT kind, details FROM audit_events ORDER BY rowid").fetchall()
    assert [(kind, json.loads(details)["refused"]) for kind, details in rows] == [
        ("trust_refused", list(bad)),
        ("trust_refused", list(bad)),
    ]


def test_the_booth_records_what_it_refused_at_start_up(tmp_path: Path) -> None:
    from gatehouse.booth.runtime import BoothCallbacks, BoothRuntime, RuntimeOptions

    cfg = _config(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    (_folder(cfg) / "own.json").write_text(json.dumps(_issuer_file(key, crl(key, 2, "x"))))

    def ignore(*_args: object) -> None:
        pass

    callbacks = BoothCallbacks(ignore, ignore, ignore, ignore, ignore, ignore)
    database = tmp_path / "ledger.sqlite3"
    runtime = BoothRuntime.from_config(
        cfg, RuntimeOptions(demo=False, database=database), callbacks
    )
    runtime.ledger.close()
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT kind, actor, details FROM audit_events").fetchall()
    assert [(kind, actor) for kind, actor, _ in rows] == [("trust_refused", "trust")]
    assert "does not match the key's crlVersion 1" in json.loads(rows[0][2])["refused"][0]
