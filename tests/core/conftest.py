from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.keys import TrustStore, generate_issuer_key

from .factories import trust_for


@pytest.fixture(scope="session")
def issuer_key() -> Ed25519PrivateKey:
    return generate_issuer_key()


@pytest.fixture(scope="session")
def trust(issuer_key: Ed25519PrivateKey) -> TrustStore:
    return trust_for(issuer_key)
