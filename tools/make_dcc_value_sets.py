"""Generates resources/dcc_value_sets/value_sets.json from a checkout of the EU DCC value sets.

Run from the repository root: ``.venv/bin/python tools/make_dcc_value_sets.py SOURCE_DIR
RELEASE`` where SOURCE_DIR holds the eHealth Network's value-set files (repository
ehn-dcc-development/eu-dcc-valuesets; RELEASE is its release, e.g. 2.12.0). The sets are
copied verbatim, so the output is also what the office publishes as the hub's
``dcc_value_sets`` bundle (``gatehouse hub publish dcc_value_sets value_sets.json``) when a
newer release or the gateway's test-device list comes out. The booth never reads SOURCE_DIR.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from gatehouse.core.dcc.value_sets import FORMAT, value_sets_from_json

OUT = Path(__file__).resolve().parent.parent / "resources" / "dcc_value_sets"
FILES = (
    "country-2-codes.json",
    "disease-agent-targeted.json",
    "vaccine-prophylaxis.json",
    "vaccine-medicinal-product.json",
    "vaccine-mah-manf.json",
    "test-type.json",
    "test-manf-example.json",  # the gateway's device list, as of the repository's snapshot
    "test-result.json",
)


def main(source: Path, release: str) -> None:
    sets = [json.loads((source / name).read_text(encoding="utf-8")) for name in FILES]
    document = {
        "format": FORMAT,
        "version": f"eu-dcc-valuesets {release}",
        "source": "https://github.com/ehn-dcc-development/eu-dcc-valuesets",
        "value_sets": sets,
    }
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    loaded = value_sets_from_json(text)  # refuse to ship what the booth would refuse
    if loaded.refused or len(loaded.sets) != len(FILES):
        raise SystemExit(f"value sets not usable: {loaded.refused}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "value_sets.json").write_text(text, encoding="utf-8")
    shutil.copyfile(source / "LICENSE", OUT / "LICENSE")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), sys.argv[2])
