"""The pure hash chain (gatehouse.core.chain): links, digests and the walk that checks them."""

from dataclasses import replace

from gatehouse.core.chain import (
    GENESIS_HASH,
    ChainLink,
    canonical_json,
    first_break,
    next_link,
    split_digests,
)


def _chain(length: int) -> list[ChainLink]:
    links: list[ChainLink] = []
    for n in range(length):
        head = links[-1] if links else None
        links.append(next_link(head, "passage", f"id-{n}", f"{n:064x}", "p" * 64))
    return links


def test_canonical_json_ignores_key_order_and_keeps_chinese() -> None:
    assert canonical_json({"b": 1, "a": "张伟"}) == canonical_json({"a": "张伟", "b": 1})
    assert canonical_json({"a": "张伟"}) == '{"a":"张伟"}'


def test_personal_fields_are_digested_apart() -> None:
    record = {"passage_id": "x", "holder_name": "张伟", "outcome": "ADMIT"}
    erased = {**record, "holder_name": None}
    public, personal = split_digests(record, ("holder_name",))
    assert split_digests(erased, ("holder_name",))[0] == public
    assert split_digests(erased, ("holder_name",))[1] != personal


def test_first_link_follows_genesis_and_numbers_from_one() -> None:
    first, second = _chain(2)
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert (second.seq, second.prev_hash) == (2, first.hash)


def test_intact_chain_has_no_break() -> None:
    assert first_break(_chain(10)) is None


def test_changed_digest_breaks_its_own_link() -> None:
    links = _chain(5)
    links[2] = replace(links[2], public_digest="f" * 64)
    found = first_break(links)
    assert found is not None
    assert (found.seq, found.problem) == (3, "link hash does not match")


def test_missing_link_is_named_where_the_gap_is() -> None:
    links = _chain(5)
    del links[1]
    found = first_break(links)
    assert found is not None
    assert found.seq == 3
    assert "expected link 2" in found.problem


def test_relinked_chain_with_a_removed_record_still_breaks_at_the_follower() -> None:
    links = _chain(5)
    renumbered = [links[0], *(replace(link, seq=link.seq - 1) for link in links[2:])]
    found = first_break(renumbered)
    assert found is not None
    assert (found.seq, found.record_id) == (2, "id-2")
    assert "does not follow" in found.problem


def test_swapped_links_break_at_the_first_of_them() -> None:
    links = _chain(5)
    links[1], links[2] = replace(links[2], seq=2), replace(links[1], seq=3)
    found = first_break(links)
    assert found is not None
    assert (found.seq, found.record_id) == (2, "id-2")


def test_keyed_id_hash_needs_the_key_and_ignores_spacing() -> None:
    import pytest

    from gatehouse.core.passage import keyed_id_hash

    key = b"k" * 16
    number = "11010119900307123X"
    assert keyed_id_hash("110101 19900307 123x", key) == keyed_id_hash(number, key)
    assert keyed_id_hash(number, b"j" * 16) != keyed_id_hash(number, key)
    assert number not in keyed_id_hash(number, key)
    with pytest.raises(ValueError, match="16 bytes"):
        keyed_id_hash(number, b"short")
