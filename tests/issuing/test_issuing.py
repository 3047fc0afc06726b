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
from gatehouse.core.rules.persons import id_hash

ID_NUMBER = "61010219900101123" + "1"  # check digit per GB 11643
SECRET = bytes(range(16))


@pytest.fixture
def office(tmp_path: Path) -> Path:
    assert main(["keygen", "--out", str(tmp_path / "k.pem"), "--issuer", "矿防疫办",
                 "--trust-file", str(tmp_path / "trust.json")]) == 0  # fmt: skip
    (tmp_path / "secret.hex").write_text(SECRET.hex())
    return tmp_path


def _issue(office: Path, *extra: str) -> list[str]:
    return ["issue-pass", "--key", str(office / "k.pem"), "--issuer", "矿防疫办",
            "--pass-id", "V-1", "--name", "张伟", "--id-number", ID_NUMBER, *extra]  # fmt: skip


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
    assert image.shape[:2] == (638, 1011)  # ID-1 card at 300 dpi
    assert make_decoder("zxing").decode(image) == [text]


def test_card_of_another_format_is_refused(office: Path) -> None:
    assert main(_issue(office, "--card", str(office / "card.gif"))) == 1
