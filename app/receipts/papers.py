"""The papers a receipt prints on, by key, with the label officers see. No reportlab here: the
app names the papers (settings, menus, CLI) without loading the PDF library, which it imports
only when it first renders (DESIGN §9: cold start)."""

PAPER_LABELS = {
    "a5": "A5 (bawaan)",
    "a4": "A4",
    "thermal80": "Struk termal 80 mm",
}
DEFAULT_PAPER = "a5"
