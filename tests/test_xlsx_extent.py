"""A result file's XLSX whose cells span a huge grid is refused before calamine opens it
(app/services/xlsx_extent.py): calamine would allocate the whole grid and abort the process
(tafia/calamine#693), whatever the file's size."""

from __future__ import annotations

import zipfile

import pytest
import xlsxwriter

from app.services import pemadanan_files, xlsx_extent

_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/data/s.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)


def sheet(rows: str, prefix: str = "") -> bytes:
    """A worksheet's XML around `rows` (row and cell tags written without a prefix; `prefix`
    puts one on every tag)."""
    if prefix:
        for tag in ("row", "c", "v"):
            rows = rows.replace(f"<{tag}", f"<{prefix}:{tag}").replace(
                f"</{tag}", f"</{prefix}:{tag}"
            )
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{_MAIN.decode()}"'
    return f"<{p}worksheet {ns}><{p}sheetData>{rows}</{p}sheetData></{p}worksheet>".encode()


def workbook(path, xml: bytes):
    """An XLSX whose one sheet is `xml`, kept where the workbook says, not where sheets usually
    are (xl/data/s.xml): the check reads every entry."""
    main = _MAIN.decode()
    parts = {
        "[Content_Types].xml": _TYPES,
        "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="r1" '
        f'Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{_DOC}"><sheets>'
        '<sheet name="Hasil" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="r1" '
        f'Type="{_DOC}/worksheet" Target="data/s.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            book.writestr(name, text)
        book.writestr("xl/data/s.xml", xml)
    return path


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>NIK</t></is></c>' \
         '<c r="B1" t="inlineStr"><is><t>MOBIL</t></is></c>' \
         '<c r="C1" t="inlineStr"><is><t>NJOP</t></is></c></row>'  # fmt: skip


@pytest.mark.parametrize(
    "far",
    [
        '<row r="1048576"><c r="XFD1048576"><v>2</v></c></row>',  # Excel's last cell
        '<row r="2"><c r="D2" r="XFD1048576"><v>2</v></c></row>',  # calamine takes the last r
        '<row r="2"><c r="xfd1048576"><v>2</v></c></row>',  # lower case
        "<row r=\"2\"><c r = 'XFD1048576'><v>2</v></c></row>",  # other spacing and quotes
        '<row r="2"><c r="A99999999"><v>2</v></c><c r="Z2"><v>1</v></c></row>',  # past Excel
        '<row r="999999"><c r="A999999"><v>1</v></c>' + "<c><v>1</v></c>" * 45 + "</row>",
    ],
)
def test_a_sheet_spanning_a_huge_grid_is_refused_before_calamine(tmp_path, monkeypatch, far):
    opened = []
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", opened.append)
    for prefix in ("", "x"):
        path = workbook(tmp_path / "jauh.xlsx", sheet(HEADER + far, prefix))
        with pytest.raises(pemadanan_files.FileRefused) as refused:
            pemadanan_files.read_file(path, pemadanan_files.load_profile("bapenda"))
        assert str(refused.value) == (
            "jauh.xlsx: lembar XLSX terlalu luas (lebih dari 40 juta sel dari A1 sampai sel "
            "terjauh; hapus sel yang jauh, atau simpan sebagai CSV); berkas ditolak"
        )
    assert opened == []


ODS_ROWS = (
    '<table:table-row table:number-rows-repeated="1048000">'
    '<table:table-cell table:number-columns-repeated="40"/></table:table-row>'
)  # 5 kB that calamine makes a grid of 43 million cells (2.7 GB) of


@pytest.mark.parametrize(
    "extra",
    [
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": ODS_ROWS},
        {"xl/workbook.bin": "\x83\x01"},  # an XLSB's binary workbook
        None,  # an ODS alone: no XLSX workbook at all
    ],
)
def test_a_zip_that_is_no_xlsx_or_holds_another_spreadsheet_is_refused(
    tmp_path, monkeypatch, extra
):
    """calamine also reads ODS and XLSB, whose sheets the span check does not read: when the
    XLSX in a file is not whole it falls back to them."""
    opened = []
    import python_calamine

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", opened.append)
    path = tmp_path / "hasil.xlsx"
    if extra is None:
        with zipfile.ZipFile(path, "w") as ods:
            ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            ods.writestr("content.xml", ODS_ROWS)
    else:
        workbook(path, sheet(HEADER))
        with zipfile.ZipFile(path, "a") as book:
            for name, text in extra.items():
                book.writestr(name, text)
    with pytest.raises(pemadanan_files.FileRefused, match="bukan XLSX .mungkin ODS atau XLSB"):
        pemadanan_files.read_file(path, pemadanan_files.load_profile("bapenda"))
    assert opened == []


def test_a_file_of_many_columns_is_counted_cell_by_cell_and_read(tmp_path):
    """Past column AN the quick check does not decide: the cells are walked, and a sheet well
    within the budget is read as before."""
    path = tmp_path / "lebar.xlsx"
    book = xlsxwriter.Workbook(str(path))
    rows = book.add_worksheet("Hasil")
    rows.write_row(0, 0, ["NIK", "MOBIL", "NJOP"] + [f"KOLOM {i}" for i in range(45)])
    rows.write_row(1, 0, ["3174016705800004", "YA", 1_500_000_000] + ["x"] * 45)
    book.close()
    read = pemadanan_files.read_file(path, pemadanan_files.load_profile("bapenda"))
    assert [(r.car, r.njop_idr) for _n, r in read.results] == [(True, 1_500_000_000)]


@pytest.mark.parametrize(
    ("rows", "cells"),
    [
        ("", 0),
        (HEADER, 3),
        ('<row r="5"><c r="C5"/><c/></row><row><c/><c/><c/><c/><c/></row>', 6 * 5),
        ("<row><c/></row><row><c/></row><row><c/><c/></row>", 3 * 2),
        ('<row r="3"><c r="B7"/></row><row><c r="A2" r="E2"/><c/></row>', 7 * 6),
    ],
)
def test_the_span_counts_cells_as_calamine_places_them(rows, cells):
    """A cell's `r` names its place (the last one, if two); a cell without one follows the one
    before it in its row; a row without `r` follows the row before it."""
    assert xlsx_extent.span(sheet(rows)) == cells
    assert xlsx_extent.span(sheet(rows, "x")) == cells
    assert not xlsx_extent.too_wide(sheet(rows))


def test_the_quick_check_decides_the_usual_sheet_without_counting(monkeypatch):
    """A sheet as Excel writes it, within column AN and row 999,999, is never walked."""
    walked = []
    monkeypatch.setattr(xlsx_extent, "span", walked.append)
    usual = HEADER + "".join(
        f'<row r="{r}"><c r="A{r}" t="s"><v>1</v></c><c r="AN{r}" s="2"/></row>'
        for r in (2, 999_999)
    )
    assert not xlsx_extent.too_wide(sheet(usual))
    assert walked == []
