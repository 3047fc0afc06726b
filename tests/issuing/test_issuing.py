"""issue-pass: optional v1 claims from the command line, and the printable card."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.qr import make_decoder
from gatehouse.cli import main
from gatehouse.core.gatehouse_pass import verify_pass
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import Role, Vaccination
from gatehouse.core.rules.persons import id_hash, key_check
from gatehouse.office.card import colour_lines

ID_NUMBER = "61010219900101123" + "1"  # check digit per GB 11643
SECRET = bytes(range(16))


@pytest.fixture
def office(tmp_path: Path) -> Path:
    assert main(["keygen", "--out", str(tmp_path / "k.pem"), "--issuer", "矿防疫办",
                 "--trust-file", str(tmp_path / "trust.json")]) == 0  # fmt: skip
    (tmp_path / "secret.hex").write_text(SECRET.hex())
    (tmp_path / "gatehouse.toml").write_text("[policy]\n")
    return tmp_path


def _issue(office: Path, *extra: str) -> list[str]:
    """issue-pass with a configuration that names no list secret (unless a test writes one)."""
    return ["issue-pass", "--key", str(office / "k.pem"), "--issuer", "矿防疫办",
            "--pass-id", "V-1", "--name", "张伟", "--config", str(office / "gatehouse.toml"),
            *(() if "--id-number" in extra else ("--id-number", ID_NUMBER)), *extra]  # fmt: skip


def test_visitor_pass_carries_host_approval_vaccination_and_id_hash(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = str(office / "secret.hex")
    args = _issue(office, "--role", "visitor", "--host", "李主任", "--approval-id", "FYB-1",
                  "--vaccination", "3:2022-05-01", "--id-hash-secret", secret)  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out.strip()
    trust = TrustStore.from_json((office / "trust.json").read_text())
    claims = verify_pass(text, trust).claims
    assert (claims.role, claims.host, claims.approval_id) == (Role.VISITOR, "李主任", "FYB-1")
    assert claims.vaccination == Vaccination(3, datetime(2022, 5, 1, tzinfo=UTC).date())
    assert claims.id_hash == id_hash(SECRET, ID_NUMBER)


def test_visitor_without_approval_is_refused(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_issue(office, "--role", "visitor", "--host", "李主任")) == 1
    assert "approval" in capsys.readouterr().err


def test_short_secret_is_refused(office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (office / "short.hex").write_text("abcd")
    assert main(_issue(office, "--id-hash-secret", str(office / "short.hex"))) == 1


@pytest.mark.parametrize("suffix", [".png", ".pdf"])
def test_card_is_written(suffix: str, office: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = office / f"card{suffix}"
    assert main(_issue(office, "--card", str(card))) == 0
    text = capsys.readouterr().out.strip()
    data = card.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF")
        return
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    assert image.shape[:2] == (638, 1011)  # ID-1 card at 300 dpi
    assert make_decoder("zxing").decode(np.asarray(image, np.uint8)) == [text]


def test_card_of_another_format_is_refused(office: Path) -> None:
    assert main(_issue(office, "--card", str(office / "card.gif"))) == 1


@pytest.mark.parametrize(
    ("number", "named"),
    [
        ("610102199001011234", "check digit"),
        ("610102199002301230", "birth date"),
        ("6101021990010112", "18 characters"),
    ],
)
def test_a_bad_id_number_is_refused_naming_the_fault(
    number: str, named: str, office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_issue(office, "--id-number", number)) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and named in captured.err


def test_the_colour_check_time_is_signed_and_the_card_says_until_when_it_counts(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = _issue(office, "--health-code-checked", "2026-11-20T07:30:00+08:00",
                  "--travel", "150602:2026-11-18")  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out.strip()
    claims = verify_pass(text, TrustStore.from_json((office / "trust.json").read_text())).claims
    assert claims.health_code_checked_at == datetime(2026, 11, 19, 23, 30, tzinfo=UTC)
    assert colour_lines(claims) == (
        "健康码绿码 health code green",
        "计至 counts until 11-21 00:00 +08",
    )  # the end of the China day it was checked on, though the pass runs 7 days
    assert colour_lines(claims, 12)[1] == "计至 counts until 11-20 19:30 +08"
    assert main([*args, "--colour-max-age-hours", "-3"]) == 1


def test_a_check_time_after_issuing_is_refused(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_issue(office, "--health-code-checked", "2999-01-01T00:00:00+08:00")) == 1
    assert "after the pass is issued" in capsys.readouterr().err


def test_without_travel_the_pass_says_travel_not_shown(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_issue(office)) == 0
    captured = capsys.readouterr()
    claims = verify_pass(
        captured.out.strip(), TrustStore.from_json((office / "trust.json").read_text())
    ).claims
    assert claims.travel == () and "travel not shown" in captured.err


def test_a_configured_list_secret_is_always_embedded_and_must_be_readable(
    office: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (office / "gatehouse.toml").write_text(
        f'[policy]\nlist_secret_file = "{office / "secret.hex"}"\n'
    )
    assert main(_issue(office)) == 0
    text = capsys.readouterr().out.strip()
    claims = verify_pass(text, TrustStore.from_json((office / "trust.json").read_text())).claims
    assert claims.id_hash == id_hash(SECRET, ID_NUMBER)
    assert claims.id_key_check == key_check(SECRET)
    (office / "secret.hex").unlink()
    assert main(_issue(office)) == 1  # configured but unreadable: no pass without the hash
    assert "cannot read the list secret" in capsys.readouterr().err
