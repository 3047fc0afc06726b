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


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the conformance counts and the number of fuzzed inputs after the run."""
    from .test_dcc_conformance import conformance_summary
    from .test_fuzz_credentials import fuzz_summary

    for line in [*conformance_summary(), *fuzz_summary()]:
        terminalreporter.write_line(line)
