"""Every case of the EU DCC test data (dgc-testdata), every EXPECTED* flag it sets.

A flag is reproduced when this implementation's step succeeds exactly when the flag says
true. Where the flag itself is wrong, the disagreement is listed in DISAGREEMENTS with the
reason; the test fails on any other mismatch and on any listed one that stops happening.
The counts are printed at the end of the test run (tests/core/conftest.py).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from gatehouse.core.dcc.conformance import evaluate_case, expected_flags

from .shared_testdata import DGC_ROOT, case_files, case_id, load_case, picture_reader

SCHEMA, VALID_OBJECT = "EXPECTEDSCHEMAVALIDATION", "EXPECTEDVALIDOBJECT"
# (case id or folder prefix, flag) -> why the flag is wrong. Each is an upstream defect, most
# already listed in dgc-testdata's own tests/known_issues.csv.
DISAGREEMENTS = {
    ("NL/", SCHEMA): "NL flags follow NL's business rules, not the schema (upstream #107): "
    "a date of birth in the future or before 1900 or emoji in a name are flagged invalid, "
    "an empty country or dose 0 valid",
    ("NL/", VALID_OBJECT): "same NL rules; for many cases they contradict the same case's "
    "EXPECTEDSCHEMAVALIDATION on identical JSON",
    ("BG/2DCode/raw/1.json", SCHEMA): "dob with a time, null t and r groups (upstream #298)",
    ("BG/2DCode/raw/1.json", VALID_OBJECT): "as above",
    ("BG/2DCode/raw/2.json", SCHEMA): "dob with a time, null v and t groups (upstream #298)",
    ("BG/2DCode/raw/2.json", VALID_OBJECT): "as above",
    ("HU/2DCode/raw/3.json", SCHEMA): "ci and tc longer than schema 1.0.0's 50 (upstream #340)",
    ("HU/2DCode/raw/3.json", VALID_OBJECT): "as above",
    ("IS/2DCode/raw/3.json", "EXPECTEDKEYUSAGE"): "the signer's only extended key usage is "
    "unrelated (2.23.136.1.1.14.2), which per the DCC specification restricts nothing; the "
    "case's own description and README call it valid with no key usage",
    ("BG/2DCode/raw/4.json", "EXPTECTEDEXPIRED"): "issued (iat 2021-02-16) before its signing "
    "certificate existed (notBefore 2021-05-11); the flag says the validity check passes",
}
# Flags that cannot be checked because the case lacks the input.
UNCHECKABLE = {("common/2DCode/raw/B1.json", "EXPECTEDPICTUREDECODE"): "the case has no picture"}

TALLY: Counter[str] = Counter()
FLAGS: Counter[tuple[str, str]] = Counter()


def _documented(case: str, flag: str) -> bool:
    return any(case.startswith(prefix) and flag == name for prefix, name in DISAGREEMENTS)


@pytest.mark.skipif(not DGC_ROOT.exists(), reason="shared/testdata is not beside the project")
@pytest.mark.parametrize("path", case_files(), ids=case_id)
def test_case_reproduces_its_flags(path: Path) -> None:
    case, name = load_case(path), case_id(path)
    expected = expected_flags(case)
    answered = evaluate_case(case, picture_reader(path))
    TALLY["cases"] += 1
    unanswered = {flag for flag in expected if flag not in answered}
    assert unanswered == {flag for (case_name, flag) in UNCHECKABLE if case_name == name}
    TALLY["flags unchecked (input missing)"] += len(unanswered)
    wrong = {flag for flag, value in answered.items() if value != expected[flag]}
    for flag in answered:
        FLAGS[(flag, "matched" if flag not in wrong else "differs (documented)")] += 1
    TALLY["flags checked"] += len(answered)
    TALLY["flags matched"] += len(answered) - len(wrong)
    TALLY["flags differing, documented upstream defect"] += len(wrong)
    undocumented = {flag for flag in wrong if not _documented(name, flag)}
    assert not undocumented, f"{name}: flags not reproduced: {sorted(undocumented)}"


@pytest.mark.skipif(not DGC_ROOT.exists(), reason="shared/testdata is not beside the project")
def test_every_documented_disagreement_still_happens() -> None:
    """A listed disagreement that no longer happens must be removed from the list."""
    seen = set()
    for path in case_files():
        name = case_id(path)
        case = load_case(path)
        expected = expected_flags(case)
        for flag, value in evaluate_case(case).items():
            if value != expected[flag]:
                seen |= {key for key in DISAGREEMENTS if name.startswith(key[0]) and flag == key[1]}
    assert seen == set(DISAGREEMENTS)


def conformance_summary() -> list[str]:
    if not TALLY:
        return []
    counts = ", ".join(f"{name} {count}" for name, count in TALLY.items())
    lines = [f"EU DCC conformance (dgc-testdata): {counts}"]
    lines += [f"  {flag}: {result} {count}" for (flag, result), count in sorted(FLAGS.items())]
    return lines
