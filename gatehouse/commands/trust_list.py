"""``gatehouse trust-list``: the office's root key, and the signed trust list booths accept.

``root-key`` creates the root signing key (owner-only PEM) and its public half, which goes into
each booth's ``[trust] root_keys_file``. ``sign`` turns a trust file (the issuer keys, as
``gatehouse keygen --trust-file`` writes it) plus revocations into a trust list signed with the
root key; a booth replaces its list only with one of a higher ``--sequence``. ``shc-issuer``
binds a SMART Health Card issuer's JWKS and revocation lists to its URL in one issuer file
for ``certificates_dir`` or the hub's ``certificates`` bundle, refusing anything a booth would.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path


def _root_key(args: argparse.Namespace) -> int:
    from gatehouse.core.keys import generate_issuer_key, private_key_to_pem, public_key_to_pem

    for path in (args.out, args.public):
        if path.exists():
            raise FileExistsError(f"{path} exists; refusing to overwrite a root key")
    key = generate_issuer_key()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.touch(mode=0o600)
    args.out.write_bytes(private_key_to_pem(key))
    args.public.write_bytes(public_key_to_pem(key.public_key()))
    print(f"root key: {args.out} (keep it offline); booths' root_keys_file: {args.public}")
    return 0


def _sign(args: argparse.Namespace) -> int:
    from gatehouse.core.keys import TrustStore, private_key_from_pem
    from gatehouse.core.trust_list import TrustList, sign_trust_list

    if args.sequence < 0:
        raise ValueError("--sequence must not be negative")
    keys = TrustStore.from_json(args.keys.read_text(encoding="utf-8")).keys
    revoked = frozenset(_fingerprint(value) for value in args.revoke_key)
    store = TrustStore(keys, revoked, frozenset(args.revoke_pass))
    text = sign_trust_list(
        TrustList(args.sequence, datetime.now(UTC).replace(microsecond=0), store),
        private_key_from_pem(args.root_key.read_bytes()),
    )
    args.out.write_text(text, encoding="utf-8")
    print(
        f"trust list {args.sequence}: {len(keys)} keys, {len(revoked)} keys and "
        f"{len(args.revoke_pass)} passes revoked -> {args.out}"
    )
    return 0


def _shc_issuer(args: argparse.Namespace) -> int:
    """Binds an issuer's JWKS and revocation lists to its URL, checked as a booth checks them."""
    from gatehouse.bundles.trust import revocation_lists
    from gatehouse.core.trust_sources import shc_issuer_file_text, trust_from_text

    crls = revocation_lists(args.jwks.parent)
    text = shc_issuer_file_text(args.iss, args.jwks.read_text(encoding="utf-8"), crls)
    material = trust_from_text(text)
    if material.refused:
        raise ValueError("; ".join(material.refused))
    issuer = material.shc_issuers[0]
    args.out.write_text(text, encoding="utf-8")
    held = sum(key.crl is not None for key in issuer.keys)
    print(f"{issuer.iss}: {len(issuer.keys)} keys, {held} revocation lists -> {args.out}")
    return 0


def _fingerprint(value: str) -> bytes:
    try:
        fingerprint = bytes.fromhex(value)
    except ValueError:
        fingerprint = b""
    if len(fingerprint) != 32:
        raise ValueError(f"--revoke-key {value!r}: give the key's SHA-256 fingerprint (64 hex)")
    return fingerprint


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("trust-list", help="the office's root key and signed trust list")
    actions = parser.add_subparsers(dest="trust_list_action", required=True, metavar="ACTION")

    root = actions.add_parser("root-key", help="create the root key that signs trust lists")
    root.add_argument("--out", type=Path, required=True, help="private root key to write (PEM)")
    root.add_argument("--public", type=Path, required=True, help="public root key to write (PEM)")
    root.set_defaults(handler=_root_key)

    sign = actions.add_parser("sign", help="sign a trust list with the root key")
    sign.add_argument("--root-key", type=Path, required=True, help="private root key (PEM)")
    sign.add_argument("--keys", type=Path, required=True, help="trust file of issuer keys")
    sign.add_argument(
        "--sequence", type=int, required=True, help="higher than the list booths hold now"
    )
    sign.add_argument("--revoke-key", action="append", default=[], help="key fingerprint (hex)")
    sign.add_argument("--revoke-pass", action="append", default=[], help="a pass id to revoke")
    sign.add_argument("--out", type=Path, required=True, help="signed trust list to write")
    sign.set_defaults(handler=_sign)

    shc = actions.add_parser(
        "shc-issuer",
        help="a SMART Health Card issuer file: the issuer URL, its JWKS and revocation lists",
    )
    shc.add_argument("--iss", required=True, help="the issuer URL (https://…, no trailing slash)")
    shc.add_argument(
        "--jwks", type=Path, required=True, help="its jwks.json (revocation lists in crl/ beside)"
    )
    shc.add_argument("--out", type=Path, required=True, help="issuer file to write")
    shc.set_defaults(handler=_shc_issuer)
