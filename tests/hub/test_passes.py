"""The hub issues passes for the office: signed with the office's key, checked like any pass."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image

from gatehouse.core.code_reader import TrustMaterial, read_code
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.persons import check_character, id_hash
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.server import serve_in_thread
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError
from tests.core.factories import trust_for
from tests.hub.live import ADMIN_TOKEN, free_socket, fresh_database, make_hub

ID_NUMBER = "11010519491231002" + check_character("11010519491231002")
SECRET = bytes(range(16))
OFFICE = "Mine 3 epidemic office"
KEY = generate_issuer_key()
PASS = {
    "pass_id": "P-77",
    "name": "张伟",
    "id_number": ID_NUMBER,
    "role": "employee",
    "health_code": "green",
    "test_sampled_at": "2026-11-20T07:00:00+08:00",
    "travel": [{"region": "610100", "day": "2026-11-18"}],
    "valid_days": 7,
}


def _serve(tmp_path: Path, issuer: HubIssuer | None) -> Iterator[str]:
    engine = fresh_database("sqlite", tmp_path)
    sock = free_socket()
    try:
        with serve_in_thread(make_hub(engine), ADMIN_TOKEN, sock, issuer) as url:
            yield url
    finally:
        sock.close()
        engine.dispose()


@pytest.fixture
def issuing_url(tmp_path: Path) -> Iterator[str]:
    yield from _serve(tmp_path, HubIssuer(KEY, OFFICE, SECRET))


def test_the_office_gets_a_pass_that_verifies(issuing_url: str) -> None:
    reply = HubClient(issuing_url, ADMIN_TOKEN).request(
        "POST", protocol.PASSES_PATH, {**PASS, "card": True}
    )
    assert reply.status == 201
    body = reply.json()
    scanned = read_code(
        body["qr_text"],
        TrustMaterial(passes=trust_for(KEY, OFFICE)),
        datetime.now(UTC) + timedelta(minutes=1),
    )
    assert scanned.verified and scanned.credential is not None
    claims = scanned.credential.claims
    assert (claims.pass_id, claims.holder_name, claims.id_masked) == (
        "P-77",
        "张伟",
        body["id_masked"],
    )
    assert claims.id_hash == id_hash(SECRET, ID_NUMBER)
    assert ID_NUMBER not in body["qr_text"] and ID_NUMBER not in str(body)
    card = Image.open(io.BytesIO(base64.b64decode(body["card_png_base64"])))
    assert card.format == "PNG" and card.width > 500


def test_only_the_office_may_issue_and_bad_fields_are_named(issuing_url: str) -> None:
    with pytest.raises(HubRefusedError) as refused:
        HubClient(issuing_url, "not-the-admin-token").request("POST", protocol.PASSES_PATH, PASS)
    assert refused.value.status == 401
    office = HubClient(issuing_url, ADMIN_TOKEN)
    with pytest.raises(HubRefusedError, match="check digit") as bad:
        office.request("POST", protocol.PASSES_PATH, {**PASS, "id_number": ID_NUMBER[:-1] + "0"})
    assert bad.value.status == 400
    with pytest.raises(HubRefusedError, match="valid_days"):
        office.request("POST", protocol.PASSES_PATH, {**PASS, "valid_days": 0})
    with pytest.raises(HubRefusedError, match="host and the approval id") as visitor:
        office.request("POST", protocol.PASSES_PATH, {**PASS, "role": "visitor"})
    assert "--" not in str(visitor.value)  # the console's user never typed a command line


def test_a_hub_without_an_issuer_key_says_so(tmp_path: Path) -> None:
    for url in _serve(tmp_path, None):
        with pytest.raises(HubRefusedError, match="no issuer key") as refused:
            HubClient(url, ADMIN_TOKEN).request("POST", protocol.PASSES_PATH, PASS)
        assert refused.value.status == 503
        assert "--" not in str(refused.value)
