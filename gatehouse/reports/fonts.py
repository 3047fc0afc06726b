"""A font with Chinese glyphs for the PDF reports, taken from the system (nothing is shipped).

reportlab embeds the subset of glyphs used, so the PDF reads the same on any PC. It needs
TrueType outlines: WenQuanYi Micro Hei (Debian ``fonts-wqy-microhei``, installed by
scripts/bootstrap.sh) on Linux, Microsoft YaHei / SimHei / SimSun on Windows.
"""

from __future__ import annotations

import os
from pathlib import Path

FONT_NAME = "GatehouseCJK"
FONT_ENV = "GATEHOUSE_REPORT_FONT"  # a .ttf/.ttc path, when the system keeps its fonts elsewhere

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)

_registered: str | None = None


class ReportFontError(RuntimeError):
    """No usable Chinese font: the report would print empty boxes, so it is not made."""


def find_cjk_font() -> Path:
    chosen = os.environ.get(FONT_ENV)
    paths = [chosen] if chosen else list(CANDIDATES)
    for candidate in paths:
        path = Path(candidate)
        if path.is_file():
            return path
    raise ReportFontError(
        "未找到中文字体,无法生成报告;请安装 fonts-wqy-microhei · No Chinese font found for the "
        f"report: install fonts-wqy-microhei, or set {FONT_ENV} to a TrueType font (looked in: "
        + ", ".join(paths)
        + ")"
    )


def register_cjk_font() -> str:
    """Registers the font with reportlab once per process and returns its name."""
    global _registered
    if _registered is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        path = find_cjk_font()
        try:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        except Exception as exc:  # reportlab raises its own TTFError and plain errors alike
            raise ReportFontError(f"{path} cannot be embedded in a PDF: {exc}") from exc
        _registered = FONT_NAME
    return _registered
