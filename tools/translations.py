"""Updates the translation sources and compiles them, with Qt's own tools from PySide6.

    .venv/bin/python tools/translations.py          # update .ts from the code, then compile .qm
    .venv/bin/python tools/translations.py --check  # exit 1 if a .ts or .qm is out of date
    .venv/bin/python tools/translations.py --fill zh.json  # translate entries from a JSON list

``pyside6-lupdate`` collects every ``self.tr(...)`` under gatehouse/ui into
resources/translations/gatehouse_<locale>.ts (translations already made are kept); translate the
new entries with ``pyside6-linguist`` (or any editor, or ``--fill`` with a JSON list of
``{"context": "ClassName", "source": "English", "zh": "中文"}``), then run this again:
``pyside6-lrelease`` compiles the .qm files the application loads.
Both tools ship in PySide6-Essentials.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "gatehouse" / "ui"
FOLDER = ROOT / "resources" / "translations"
LOCALES = ("zh_CN",)


def qt_tool(name: str) -> str:
    """The PySide6 wrapper beside this interpreter (the venv), else one on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6-Essentials into this environment")
    return found


def sources() -> list[str]:
    return sorted(str(path) for path in SOURCES.rglob("*.py"))


def update(ts: Path) -> None:
    subprocess.run(
        [
            qt_tool("pyside6-lupdate"),
            "-silent",
            "-no-obsolete",
            "-locations",
            "none",
            *sources(),
            "-ts",
            str(ts),
        ],
        check=True,
    )


def compile_qm(ts: Path, qm: Path) -> None:
    subprocess.run([qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)


def fill(ts: Path, entries: list[dict[str, str]]) -> list[str]:
    """Writes each entry's Chinese into the matching message of ``ts`` (marking it finished);
    returns the entries that match no message (a typo, or a string no longer in the code)."""
    tree = ElementTree.parse(ts)
    messages = {
        (context.findtext("name"), message.findtext("source")): message
        for context in tree.getroot().iter("context")
        for message in context.iter("message")
    }
    unmatched = []
    for entry in entries:
        message = messages.get((entry["context"], entry["source"]))
        if message is None:
            unmatched.append(f"{entry['context']}: {entry['source']}")
            continue
        translation = message.find("translation")
        assert translation is not None  # lupdate writes one per message
        translation.attrib.pop("type", None)
        if message.get("numerus") == "yes":  # %n: Chinese has a single plural form
            translation.clear()
            ElementTree.SubElement(translation, "numerusform").text = entry["zh"]
        else:
            translation.text = entry["zh"]
    ElementTree.indent(tree, space="    ")
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return unmatched


def problems() -> list[str]:
    """What is out of date, checked on copies (the shipped files are not touched)."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        for locale in LOCALES:
            ts = FOLDER / f"gatehouse_{locale}.ts"
            qm = ts.with_suffix(".qm")
            copy = Path(folder) / ts.name
            shutil.copy(ts, copy)
            update(copy)
            if copy.read_bytes() != ts.read_bytes():
                found.append(f"{ts.name} misses strings from the code: run tools/translations.py")
            if 'type="unfinished"' in ts.read_text(encoding="utf-8"):
                found.append(f"{ts.name} has untranslated strings")
            compiled = Path(folder) / qm.name
            compile_qm(ts, compiled)
            if not qm.exists() or compiled.read_bytes() != qm.read_bytes():
                found.append(f"{qm.name} is not compiled from {ts.name}: run tools/translations.py")
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    parser.add_argument("--fill", type=Path, help="JSON list of translations to write in")
    args = parser.parse_args()
    if args.check:
        found = problems()
        print("\n".join(found) or "translations up to date")
        return 1 if found else 0
    FOLDER.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        ts = FOLDER / f"gatehouse_{locale}.ts"
        update(ts)
        if args.fill is not None:
            entries = json.loads(args.fill.read_text(encoding="utf-8"))
            for missing in fill(ts, entries):
                print(f"no such message in {ts.name}: {missing}")
            update(ts)  # back to lupdate's own layout, so --check compares like with like
        compile_qm(ts, ts.with_suffix(".qm"))
        print(f"updated {ts.relative_to(ROOT)} and compiled {ts.with_suffix('.qm').name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
