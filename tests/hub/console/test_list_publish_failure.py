"""A list change whose automatic publish fails: the change is kept, staff are told in plain
words to press "Sign and publish", and that button then publishes it.

The failure is real: a trigger in the hub's own database (SQLite and PostgreSQL) refuses to
store a ``lists`` bundle, as a full disk or a broken table would. Lists the booths would
refuse are the content's fault, not the hub's: a 400 with the booth's reason, nothing signed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Page, expect
from sqlalchemy import Engine, update

from gatehouse.core.rules.persons import id_hash
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import person_entries
from tests.hub.console.conftest import LIST_SECRET, log_in, submit
from tests.hub.console.test_person_lists import LI_SI, published_lists

REFUSAL = "bundle storage refused (test trigger)"


@contextmanager
def lists_bundles_refused(engine: Engine) -> Iterator[None]:
    """While the block runs, the database refuses every new ``lists`` bundle."""
    if engine.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER refuse_lists BEFORE INSERT ON bundles WHEN NEW.name = 'lists' "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        ]
        drop = "DROP TRIGGER refuse_lists"
    else:
        create = [
            "CREATE OR REPLACE FUNCTION refuse_lists() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
            "CREATE TRIGGER refuse_lists BEFORE INSERT ON bundles FOR EACH ROW "
            "WHEN (NEW.name = 'lists') EXECUTE FUNCTION refuse_lists()",
        ]
        drop = "DROP TRIGGER refuse_lists ON bundles"
    with engine.begin() as conn:
        for statement in create:
            conn.exec_driver_sql(statement)
    try:
        yield
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(drop)


def answered(page: Page, button: str) -> int:
    """Click ``button`` and return the HTTP status of the page the server answers with."""
    with page.expect_navigation() as navigation:
        page.click(button)
    response = navigation.value
    assert response is not None
    return response.status


def test_a_change_whose_publish_fails_is_kept_and_the_button_publishes_it(
    page: Page, office_url: str, accounts: Accounts, hub: Hub
) -> None:
    log_in(page, office_url, "staff")
    page.click("#nav-lists")
    with lists_bundles_refused(hub.engine):
        page.fill("#name", "李四")
        page.fill("#id_number", LI_SI)
        page.fill("#until", "2026-12-20")
        assert answered(page, "#add") == 500
        error = page.locator("#error")
        expect(error).to_contain_text("已保存,但名单未能发布,请点击“签名发布”重试")
        expect(error).to_contain_text("Saved, but the lists could not be published")
        expect(error).to_contain_text("数据库未能保存发布")
        expect(error).not_to_contain_text(REFUSAL)  # the database's words are for the log
        expect(page.locator("#entries")).to_contain_text("李四")  # the change is kept
        expect(page.locator("#history tbody tr[data-version]")).to_have_count(0)
        assert hub.latest_bundle("lists") is None

        # still refused: said again, nothing lost; the hub's fault, not the content's: not a 400
        assert answered(page, "#publish") == 500
        expect(page.locator("#error")).to_contain_text("数据库未能保存发布")
        expect(page.locator("#error")).not_to_contain_text(REFUSAL)
        assert hub.latest_bundle("lists") is None

    page.fill("#why", "补发 12月6日")
    submit(page, "#publish")
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator('#history tr[data-version="1"]')).to_contain_text("补发 12月6日")
    held = published_lists(hub)
    assert str(held.isolation[id_hash(LIST_SECRET, LI_SI)].until) == "2026-12-20"


def test_lists_booths_would_refuse_are_not_signed_and_the_button_says_why(
    page: Page, office_url: str, accounts: Accounts, hub: Hub
) -> None:
    """A 400: the content is at fault, not the hub. A contractor row whose days end before
    they start (as a hand edit of the database, or an older release, could leave it) makes
    the lists every booth's parser refuses: nothing is signed, staff read the booth's reason,
    and correcting the entry publishes."""
    log_in(page, office_url, "staff")
    page.goto(f"{office_url}/console/lists/contractors")
    page.fill("#name", "李四")
    page.fill("#id_number", LI_SI)
    page.fill("#company", "中煤建设")
    page.fill("#project", "主井检修")
    page.fill("#valid_from", "2026-12-01")
    page.fill("#valid_until", "2026-12-31")
    submit(page, "#add")
    expect(page.locator('#history tr[data-version="1"]')).to_be_visible()
    with hub.engine.begin() as conn:
        days = {"valid_from": "2026-12-31", "valid_until": "2026-12-01"}
        conn.execute(update(person_entries).values(days))

    assert answered(page, "#publish") == 400
    error = page.locator("#error")
    expect(error).to_contain_text("lists: a booth would refuse it")
    expect(error).to_contain_text("valid_until 2026-12-01 is before valid_from 2026-12-31")
    expect(page.locator("#entries")).to_contain_text("李四")  # nothing taken off
    expect(page.locator("#history tbody tr[data-version]")).to_have_count(1)
    held = hub.latest_bundle("lists")
    assert held is not None and held.version == 1  # nothing signed

    with page.expect_navigation():
        page.locator("#entries a.edit").first.click()
    page.fill("#valid_from", "2026-12-01")
    page.fill("#valid_until", "2026-12-31")
    submit(page, "#save")
    expect(page.locator('#history tr[data-version="2"]')).to_be_visible()
    taken = published_lists(hub).contractors[id_hash(LIST_SECRET, LI_SI)]
    assert (str(taken.valid_from), str(taken.valid_until)) == ("2026-12-01", "2026-12-31")
