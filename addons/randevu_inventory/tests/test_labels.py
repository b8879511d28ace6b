import io

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader

from ..models.ean13 import ean13
from .common import InventoryCase

try:
    from pypdf.generic import ContentStream
except ImportError:
    from PyPDF2.generic import ContentStream

MM = 72 / 25.4
# EAN-13 symbol sets (GS1 General Specifications, figure 5.2.2.4.1-2), decoded here on
# our own, not by python-barcode that drew the bars.
L_CODES = ["0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011"]
R_CODES = ["".join("1" if bit == "0" else "0" for bit in code) for code in L_CODES]
G_CODES = [code[::-1] for code in R_CODES]
PARITY = ["LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"]


def decode_modules(modules):
    """The 13 digits of 95 EAN-13 modules."""
    assert len(modules) == 95 and modules[:3] == "101" and modules[45:50] == "01010" and modules[92:] == "101"
    left, parity = "", ""
    for index in range(6):
        code = modules[3 + 7 * index : 10 + 7 * index]
        if code in L_CODES:
            left, parity = left + str(L_CODES.index(code)), parity + "L"
        else:
            left, parity = left + str(G_CODES.index(code)), parity + "G"
    right = "".join(str(R_CODES.index(modules[50 + 7 * index : 57 + 7 * index])) for index in range(6))
    return str(PARITY.index(parity)) + left + right


def bars_of_page(reader, page):
    """The EAN-13s drawn on a page as filled rectangles, label by label (top row first,
    left to right): the rectangles of one label share their bottom and lie close together."""
    rects = []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"re":
            rects.append(tuple(float(value) for value in operands))
    rects.sort(key=lambda rect: (-round(rect[1], 1), rect[0]))
    groups = []
    for rect in rects:
        last = groups[-1][-1] if groups else None
        if last and round(last[1], 1) == round(rect[1], 1) and rect[0] - (last[0] + last[2]) < 3 * MM:
            groups[-1].append(rect)
        else:
            groups.append([rect])
    codes = []
    for group in groups:
        module = min(rect[2] for rect in group)
        start = group[0][0]
        modules = ["0"] * 95
        for x, _y, width, _height in group:
            first = round((x - start) / module)
            for index in range(first, first + round(width / module)):
                modules[index] = "1"
        codes.append(decode_modules("".join(modules)))
    return codes


@tagged("post_install", "-at_install")
class TestLabels(InventoryCase):
    """Label sheets as PDF, read back: pages, page size, the text and the bars of each label."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shampoo, cls.comb = cls.env["product.product"].create(
            [
                {"name": "Şampuan çiğdem", "is_storable": True, "barcode": ean13("29", 1), "list_price": 12.5},
                {"name": "Test comb", "barcode": "5901234123457", "list_price": 3},
            ]
        )

    def wizard(self, sheet, quantities, **values):
        return self.env["randevu.label.wizard"].create(
            {
                "sheet_format": sheet,
                "line_ids": [
                    Command.create({"product_id": product.id, "quantity": quantity}) for product, quantity in quantities
                ],
                **values,
            }
        )

    def read_pdf(self, pdf):
        self.assertTrue(pdf.startswith(b"%PDF"))
        return PdfFileReader(io.BytesIO(pdf))

    def test_a4_3x8_two_pages_text_and_bars(self):
        reader = self.read_pdf(self.wizard("a4_3x8", [(self.shampoo, 20), (self.comb, 10)])._render_pdf())
        self.assertEqual(len(reader.pages), 2)
        first, second = reader.pages
        self.assertAlmostEqual(float(first.mediabox.width), 210 * MM, places=1)
        self.assertAlmostEqual(float(first.mediabox.height), 297 * MM, places=1)
        text = first.extract_text()
        self.assertEqual(text.count(self.shampoo.barcode), 20)
        self.assertEqual(text.count("5901234123457"), 4)
        self.assertEqual(text.count("Şampuan çiğdem"), 20)
        self.assertEqual(second.extract_text().count("Test comb"), 6)
        self.assertIn("12.50", text)
        self.assertEqual(bars_of_page(reader, first), [self.shampoo.barcode] * 20 + ["5901234123457"] * 4)
        self.assertEqual(bars_of_page(reader, second), ["5901234123457"] * 6)

    def test_a4_4x10_forty_labels_a_page(self):
        reader = self.read_pdf(self.wizard("a4_4x10", [(self.comb, 41)], show_price=False)._render_pdf())
        self.assertEqual(len(reader.pages), 2)
        self.assertEqual(bars_of_page(reader, reader.pages[0]), ["5901234123457"] * 40)
        self.assertEqual(bars_of_page(reader, reader.pages[1]), ["5901234123457"])
        self.assertNotIn("3.00", reader.pages[0].extract_text())

    def test_roll_one_label_a_page(self):
        reader = self.read_pdf(self.wizard("roll_50x25", [(self.shampoo, 2), (self.comb, 1)])._render_pdf())
        self.assertEqual(len(reader.pages), 3)
        page = reader.pages[2]
        self.assertAlmostEqual(float(page.mediabox.width), 50 * MM, places=1)
        self.assertAlmostEqual(float(page.mediabox.height), 25 * MM, places=1)
        self.assertEqual(bars_of_page(reader, page), ["5901234123457"])
        self.assertIn("Test comb", page.extract_text())

    def test_wizard_defaults_to_on_hand_and_downloads(self):
        self.set_stock(self.shampoo, 7)
        goods = (self.shampoo | self.comb | self.haircut.product_variant_id).with_company(self.branch)
        action = goods.action_randevu_print_labels()
        wizard = self.env["randevu.label.wizard"].browse(action["res_id"])
        self.assertEqual(
            {(line.product_id, line.quantity) for line in wizard.line_ids}, {(self.shampoo, 7), (self.comb, 1)}
        )
        download = wizard.action_print()
        attachment = self.env["ir.attachment"].browse(int(download["url"].split("/")[3].split("?")[0]))
        self.assertEqual(len(self.read_pdf(attachment.raw).pages), 1)

    def test_no_label_refused(self):
        with self.assertRaises(UserError):
            self.wizard("a4_3x8", [(self.comb, 0)]).action_print()
