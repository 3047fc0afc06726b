"""The table of code kinds: complete, its stored values unchanged, and what the rules read."""

from __future__ import annotations

from gatehouse.core.code_kinds import KINDS, CodeKind, kind_info

# As every ledger row and rule pack in the field spells them: a changed value would orphan them.
STORED = {
    "gatehouse-pass",
    "eu-dcc",
    "shc",
    "provincial-health-code",
    "unknown",
    "scanner-mangled",
}


def test_every_kind_has_one_row_and_its_stored_value() -> None:
    assert set(KINDS) == set(CodeKind)
    assert {kind.value for kind in CodeKind} == STORED
    for info in KINDS.values():
        assert info.name_en and info.name_zh


def test_only_the_provincial_code_is_attested_and_only_dcc_and_shc_are_certificates() -> None:
    attested = [kind for kind, info in KINDS.items() if info.attested]
    assert attested == [CodeKind.PROVINCIAL_HEALTH_CODE]
    certificates = {kind for kind, info in KINDS.items() if info.certificate}
    assert certificates == {CodeKind.EU_DCC, CodeKind.SHC}


def test_a_stored_kind_is_looked_up_by_its_text_and_an_unknown_one_is_none() -> None:
    assert kind_info("eu-dcc") is KINDS[CodeKind.EU_DCC]
    assert kind_info("dcc") is None
