"""Label sheets as vector PDF: reportlab (shipped with Odoo) draws the bars python-barcode
encodes, no wkhtmltopdf."""

import io
from dataclasses import dataclass

from barcode import EAN13
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo.tools.misc import file_path


@dataclass(frozen=True)
class SheetFormat:
    page_width: float  # mm
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float = 0.0  # margin of the first column
    top: float = 0.0  # margin of the first row


SHEET_FORMATS = {
    # A4, 3 x 8 = 24 labels of 70 x 37 mm (Avery 3474 and the like).
    "a4_3x8": SheetFormat(210, 297, 3, 8, 70, 37, left=0, top=0.5),
    # A4, 4 x 10 = 40 labels of 48.5 x 25.4 mm (Avery L4736 and the like).
    "a4_4x10": SheetFormat(210, 297, 4, 10, 48.5, 25.4, left=8, top=21.5),
    # A roll of 50 x 25 mm labels (thermal printers): one label a page.
    "roll_50x25": SheetFormat(50, 25, 1, 1, 50, 25),
}
# Quiet zones of an EAN-13: 11 modules on the left, 7 on the right, 95 modules of bars.
QUIET_LEFT, BARS, QUIET_RIGHT = 11, 95, 7
FONT = "RandevuNotoSans"


def _font():
    if FONT not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(FONT, file_path("web/static/fonts/sign/NotoSans-Reg.ttf")))
        except (FileNotFoundError, OSError):
            return "Helvetica"
    return FONT


def _fit(text, font, size, width):
    """The text cut (with an ellipsis) to fit `width` points at `size`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def ean13_modules(code):
    """The 95 modules (1 = bar) of an EAN-13, by python-barcode."""
    return EAN13(code[:12]).build()[0]


def draw_label(pdf, x, y, width, height, name, price, code, font):
    """One label, lower-left corner (x, y) in points: name, price, bars and digits."""
    pad = 1.5 * mm
    scale = min(1.0, height / (37 * mm))
    name_size, price_size, digits_size = 9 * scale + 1, 10 * scale + 1, 8 * scale + 1
    top = y + height - pad
    pdf.setFont(font, name_size)
    pdf.drawString(x + pad, top - name_size, _fit(name, font, name_size, width - 2 * pad))
    if price:
        pdf.setFont(font, price_size)
        pdf.drawRightString(x + width - pad, top - name_size - price_size - 0.5 * mm, price)
    if not code:
        return
    module = min(0.33 * mm, (width - 2 * pad) / (QUIET_LEFT + BARS + QUIET_RIGHT))
    bars_width = BARS * module
    left = x + (width - bars_width) / 2
    bottom = y + pad + digits_size + 0.5 * mm
    bar_height = max(4 * mm, top - name_size - price_size - 1.5 * mm - bottom)
    modules = ean13_modules(code)
    start = None
    for index, bit in enumerate(modules + "0"):
        if bit == "1" and start is None:
            start = index
        elif bit != "1" and start is not None:
            pdf.rect(left + start * module, bottom, (index - start) * module, bar_height, stroke=0, fill=1)
            start = None
    pdf.setFont(font, digits_size)
    pdf.drawCentredString(x + width / 2, y + pad, code)


def render_label_sheet(labels, sheet_format):
    """The PDF (bytes) of `labels` (name, price text, EAN-13 or empty) on `sheet_format`
    (a key of SHEET_FORMATS), filled row by row, page after page."""
    sheet = SHEET_FORMATS[sheet_format]
    font = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(sheet.page_width * mm, sheet.page_height * mm), pageCompression=0)
    per_page = sheet.columns * sheet.rows
    for index, (name, price, code) in enumerate(labels):
        if index and not index % per_page:
            pdf.showPage()
        slot = index % per_page
        row, column = divmod(slot, sheet.columns)
        x = (sheet.left + column * sheet.label_width) * mm
        y = (sheet.page_height - sheet.top - (row + 1) * sheet.label_height) * mm
        draw_label(pdf, x, y, sheet.label_width * mm, sheet.label_height * mm, name, price, code, font)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
