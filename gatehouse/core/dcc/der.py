"""Just enough DER to read the extended key usage of a certificate cryptography refuses.

Only for document signer certificates from trust material (never for scanned bytes), and only
the path TBSCertificate -> [3] extensions -> extKeyUsage. Anything unexpected raises DerError
rather than reading as "no usages listed", so a broken certificate never silently gains rights.
"""

from __future__ import annotations

_SEQUENCE = 0x30
_OID = 0x06
_BOOLEAN = 0x01
_OCTET_STRING = 0x04
_EXTENSIONS = 0xA3  # [3] EXPLICIT in TBSCertificate
_EXTENDED_KEY_USAGE = bytes.fromhex("551d25")  # 2.5.29.37


class DerError(ValueError):
    """The bytes are not the DER structure expected."""


def _items(data: bytes) -> list[tuple[int, bytes]]:
    """The (tag, content) items that make up ``data``, in order."""
    items, offset = [], 0
    while offset < len(data):
        if offset + 2 > len(data):
            raise DerError("truncated header")
        tag, length = data[offset], data[offset + 1]
        offset += 2
        if length & 0x80:
            size = length & 0x7F
            if size == 0 or size > 4 or offset + size > len(data):
                raise DerError("bad length")
            length = int.from_bytes(data[offset : offset + size], "big")
            offset += size
        if offset + length > len(data):
            raise DerError("content runs past the end")
        items.append((tag, data[offset : offset + length]))
        offset += length
    return items


def _only(data: bytes, tag: int) -> bytes:
    items = _items(data)
    if len(items) != 1 or items[0][0] != tag:
        raise DerError(f"expected one item with tag {tag:#x}")
    return items[0][1]


def oid_text(content: bytes) -> str:
    """Dotted form of an OBJECT IDENTIFIER's content octets."""
    if not content or content[-1] & 0x80:
        raise DerError("bad object identifier")
    arcs, value = [], 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def raw_extended_key_usages(tbs_certificate: bytes) -> frozenset[str]:
    """The extended key usage OIDs in a DER TBSCertificate; empty when it has none."""
    for tag, content in _items(_only(tbs_certificate, _SEQUENCE)):
        if tag == _EXTENSIONS:
            return _usages(_only(content, _SEQUENCE))
    return frozenset()


def _usages(extensions: bytes) -> frozenset[str]:
    for tag, extension in _items(extensions):
        if tag != _SEQUENCE:
            raise DerError("extension is not a SEQUENCE")
        parts = _items(extension)
        if not parts or parts[0] != (_OID, _EXTENDED_KEY_USAGE):
            continue
        value = [content for part_tag, content in parts[1:] if part_tag != _BOOLEAN]
        if len(value) != 1 or parts[-1][0] != _OCTET_STRING:
            raise DerError("extKeyUsage has no OCTET STRING value")
        oids = _items(_only(value[0], _SEQUENCE))
        if any(oid_tag != _OID for oid_tag, _ in oids):
            raise DerError("extKeyUsage holds a non-OID")
        return frozenset(oid_text(content) for _, content in oids)
    return frozenset()
