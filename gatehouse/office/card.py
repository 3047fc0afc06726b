"""The printable pass card: an ID-1 sized card (85.6 x 54 mm) with the QR, name and validity.

For visitors and contractors who carry no phone pass. Printed at 300 dpi, the QR gets at least
4 px per module, well above what a booth camera needs (docs/pass-format.md). Chinese glyphs
come from a CJK font the system provides (WenQuanYi or Noto CJK, installed by bootstrap.sh).
"""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageFont

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.core.models import PassClaims
from gatehouse.core.rules.colour_age import colour_counts_until

DPI = 300
CARD_PX = (1011, 638)  # 85.6 x 54 mm at 300 dpi
_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_ROLES_ZH = {"employee": "员工", "visitor": "访客", "contractor": "外委", "driver": "司机"}
_COLOURS_ZH = {"green": "绿码", "yellow": "黄码", "red": "红码"}
_NO_TRAVEL = ("未含行程 travel not shown", "请出示行程卡 show the travel card")


class CardFontMissing(RuntimeError):  # noqa: N818 - a missing prerequisite, not a bug
    """No font with Chinese glyphs is installed, so the holder's name cannot be printed."""


def _font(size: int) -> ImageFont.FreeTypeFont:
    for path in _FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    raise CardFontMissing("install fonts-wqy-microhei (scripts/bootstrap.sh does) to print cards")


def render_card(
    text: str, claims: PassClaims, issuer: str, colour_max_age_hours: float | None = None
) -> Image.Image:
    """The card; it says until when the health-code colour counts (often sooner than the pass
    expires) and, for a pass without travel, that the travel card must still be shown."""
    card = Image.new("RGB", CARD_PX, "white")
    draw = ImageDraw.Draw(card)
    qr = segno.make_qr(text, error="m")
    modules = int(qr.symbol_size(border=2)[0])
    scale = max(1, (CARD_PX[1] - 40) // modules)
    code = Image.new("1", (modules, modules), 1)
    for y, row in enumerate(qr.matrix_iter(border=2)):
        for x, dark in enumerate(row):
            if dark:
                code.putpixel((x, y), 0)
    code = code.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)
    card.paste(code, (20, (CARD_PX[1] - code.height) // 2))
    left = 40 + code.width
    role = claims.role.value
    lines = [
        (_font(34), "通行证 GATEHOUSE PASS", "#444444"),
        (_font(64), claims.holder_name, "black"),
        (_font(30), f"{_ROLES_ZH.get(role, role)} {role}", "#222222"),
        (_font(26), claims.id_masked, "#222222"),
        (_font(26), f"有效 valid {claims.valid_from:%Y-%m-%d %H:%M} UTC", "#222222"),
        (_font(26), f"至 until {claims.valid_until:%Y-%m-%d %H:%M} UTC", "#222222"),
        *((_font(22), line, "#222222") for line in colour_lines(claims, colour_max_age_hours)),
        *((_font(22), line, "#aa0000") for line in (() if claims.travel else _NO_TRAVEL)),
        (_font(22), claims.pass_id, "#555555"),
        (_font(20), issuer, "#555555"),
    ]
    y = 30
    for font, line, colour in lines:
        draw.text((left, y), line, font=font, fill=colour)
        y += int(font.size * 1.45)
    return card


def colour_lines(claims: PassClaims, colour_max_age_hours: float | None = None) -> tuple[str, str]:
    """The card's health-code lines: the colour, and until when (China time) it counts."""
    until = colour_counts_until(claims.health_code_checked_at, colour_max_age_hours)
    colour = claims.health_code.value
    return (
        f"健康码{_COLOURS_ZH[colour]} health code {colour}",
        f"计至 counts until {until.astimezone(CHINA_TIME):%m-%d %H:%M} +08",
    )


def write_card(
    text: str,
    claims: PassClaims,
    issuer: str,
    path: Path,
    colour_max_age_hours: float | None = None,
) -> None:
    """Write the card as PNG or PDF (by suffix), at 300 dpi."""
    if path.suffix.lower() not in (".png", ".pdf"):
        raise ValueError(f"{path}: a card is written as .png or .pdf")
    card = render_card(text, claims, issuer, colour_max_age_hours)
    card.save(path, resolution=DPI, dpi=(DPI, DPI))
