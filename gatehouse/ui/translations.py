"""Loads the compiled translations (resources/translations/*.qm) for the chosen language.

Source strings are English (``self.tr``); ``gatehouse_zh_CN.qm`` is compiled from
``gatehouse_zh_CN.ts`` by ``tools/translations.py``. Qt's own ``qtbase_zh_CN.qm`` (shipped
inside PySide6) translates the standard dialogs and buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from gatehouse.resources import resource_path

QM_FILES = {"zh": "gatehouse_zh_CN.qm"}
_installed: list[QTranslator] = []


class TranslationMissingError(RuntimeError):
    """The .qm file for a supported language is missing or unreadable: a broken install."""


def current_language() -> str:
    """The language the installed translators render ("en" while none is), for the names core
    and the drivers give in both languages rather than through ``tr``."""
    return "zh" if _installed else "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Installs Gatehouse's and Qt's translators for ``language`` ("en" needs none), replacing
    any installed before; affects widgets created afterwards.
    """
    while _installed:
        app.removeTranslator(_installed.pop())
    name = QM_FILES.get(language)
    if name is None:
        return []
    ours = QTranslator(app)
    path = resource_path("translations", name)
    if not ours.load(str(path)):
        raise TranslationMissingError(f"cannot load {path}: run tools/translations.py")
    installed = [ours]
    qt_own = QTranslator(app)
    if qt_own.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt_own)
    for translator in installed:
        app.installTranslator(translator)
    _installed.extend(installed)
    return installed
