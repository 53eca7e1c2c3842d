"""Reading result files Dinsos receives (issue 19): a CSV (`;` or `,`, UTF-8 with or without
BOM) or the first sheet of an XLSX (python-calamine), read through a column profile into
results and refused rows — pemadanan results (app/core/pemadanan_profiles.py) here, and
SIKS-NG outcomes (app/services/outcomes.py) through the same `read_table` and `profile_text`.

Bounded: at most MAX_BYTES of file, MAX_ROWS data rows, MAX_ROW_CHARS a CSV row and, for an
XLSX, MAX_XLSX_UNPACKED of unpacked content (a zip bomb is refused before calamine opens it),
else one line of refusal. Every row is checked; a refused row is reported with its row number
(as the spreadsheet counts: the header is row 1) and the reason, never its NIK. Columns the
profile does not name are ignored.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.core import pemadanan_profiles
from app.core.errors import EXIT_BAD_INPUT, UserError
from app.core.pemadanan_profiles import Profile, Result, RowRefused
from app.paths import resource
from app.receipts.formatting import thousands
from app.services import xlsx_extent

MAX_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_000_000
MAX_ROW_CHARS = 1_000_000  # characters of one CSV row: a result row is well under 1,000
MAX_PROFILE_BYTES = 64 * 1024
MAX_XLSX_UNPACKED = 200 * 1024 * 1024  # the XLSX's zip entries, unpacked, in total
MAX_XLSX_RATIO = 100  # unpacked / packed, beyond a few MB: no spreadsheet packs that well
MAX_XLSX_ENTRIES = 10_000
_XLSX_MAGIC = b"PK\x03\x04"
# parts of the other zipped spreadsheets calamine reads when the XLSX in a file is not whole:
# an ODS (repeated rows and cells make a grid as large as a far cell does) or an XLSB (binary
# sheets, not read by app/services/xlsx_extent.py)
_NOT_XLSX = frozenset({"content.xml", "xl/workbook.bin"})


class FileRefused(UserError):
    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class RowError:
    row: int  # 1 = the header row
    reason: str

    def describe(self) -> str:
        return f"baris {self.row}: {self.reason}"


@dataclass
class ReadFile[T]:
    results: list[tuple[int, T]] = field(default_factory=list)  # (row number, result)
    errors: list[RowError] = field(default_factory=list)


def profiles_folder() -> Path:
    return resource("pemadanan")


def profile_names(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (folder or profiles_folder()).glob("*.toml"))


def load_profile(name: str) -> Profile:
    """A built-in profile by name (resources/pemadanan/<name>.toml) or a profile file Dinsos
    wrote (a path ending in .toml); checked."""
    return pemadanan_profiles.parse(*profile_text(profiles_folder(), name, "profil pemadanan"))


def profile_text(folder: Path, name: str, what: str) -> tuple[str, str]:
    """(name, TOML text) of the built-in profile `name` in `folder` or of a profile file Dinsos
    wrote (a path ending in .toml); bounded, UTF-8. `what` names the kind in refusals."""
    path = Path(name) if name.endswith(".toml") else folder / f"{name}.toml"
    if not name.endswith(".toml") and name not in profile_names(folder):
        raise FileRefused(f"{what} tidak dikenal: {name} (ada: {', '.join(profile_names(folder))})")
    if path.exists() and not path.is_file():  # a FIFO or a device would never end
        raise FileRefused(f"{what} {name} bukan berkas biasa")
    try:
        with path.open("rb") as source:  # bounded: a huge file is not read whole
            data = source.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise FileRefused(f"{what} {name} tidak terbaca: {exc.strerror}") from None
    if len(data) > MAX_PROFILE_BYTES:
        raise FileRefused(f"{what} {name} terlalu besar")
    try:
        return path.stem, data.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRefused(f"{what} {name} bukan UTF-8") from None


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as source:  # in chunks: read(n) would allocate n bytes at once
            chunks, size = [], 0
            while size <= MAX_BYTES and (chunk := source.read(1 << 20)):
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
    except OSError as exc:
        raise FileRefused(f"{path.name}: tidak terbaca ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise FileRefused(f"{path.name}: terlalu besar (maks. {MAX_BYTES // 2**20} MB)")
    return data


def _csv_rows(data: bytes, name: str) -> Iterator[Sequence[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(f"{name}: bukan teks UTF-8 (simpan sebagai CSV UTF-8)") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    lines = _RowLines(text, name)
    try:
        for row in csv.reader(lines, delimiter=delimiter, strict=False):
            yield row
            lines.next_row()
    except csv.Error:  # a cell past the csv module's limit (128 KB): most often a quote left open
        raise FileRefused(
            f"{name}: bukan CSV yang dapat dibaca (baris {lines.row}: sel terlalu panjang; "
            "tanda kutip yang tidak ditutup?); berkas ditolak"
        ) from None


class _RowLines:
    """The lines of a CSV text as csv.reader takes them, counting the characters of the row it
    is reading: a row longer than MAX_ROW_CHARS is refused before the reader makes it a list of
    cells (256 MB of `;` would be a row of 256 million cells: gigabytes of memory)."""

    def __init__(self, text: str, name: str):
        self.lines = iter(io.StringIO(text, newline=""))
        self.name = name
        self.row = 1  # the row being read, as the spreadsheet counts them (the header is row 1)
        self.size = 0  # its characters so far

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.size += len(line)
        if self.size > MAX_ROW_CHARS:
            raise FileRefused(
                f"{self.name}: baris {self.row} terlalu panjang (lebih dari "
                f"{thousands(MAX_ROW_CHARS)} karakter); berkas ditolak"
            )
        return line

    def next_row(self) -> None:
        self.row += 1
        self.size = 0


def _check_unpacked(data: bytes, name: str) -> None:
    """Refuse an XLSX whose zip entries would unpack past MAX_XLSX_UNPACKED, or pack better than
    MAX_XLSX_RATIO, before calamine opens it; then unpack it once, entry by entry, bounded
    by the sizes it declares, so that sizes that lie fail their CRC check here rather than
    in calamine, and refuse one whose cells span more than xlsx_extent.MAX_CELLS (calamine
    would abort the process). Every entry is counted, wherever the workbook says its sheets
    are. Only an XLSX is taken: a zip that is no XLSX, or holds another spreadsheet's parts
    too, is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            entries = book.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            packed = sum(entry.compress_size for entry in entries)
            if (
                len(entries) > MAX_XLSX_ENTRIES
                or unpacked > MAX_XLSX_UNPACKED
                or (unpacked > 4 * 2**20 and unpacked > MAX_XLSX_RATIO * max(packed, 1))
            ):
                raise FileRefused(
                    f"{name}: isi XLSX terlalu besar setelah dibuka "
                    f"(maks. {MAX_XLSX_UNPACKED // 2**20} MB); berkas ditolak"
                )
            names = {entry.filename.casefold() for entry in entries}
            if "xl/workbook.xml" not in names or names & _NOT_XLSX:
                raise FileRefused(
                    f"{name}: bukan XLSX (mungkin ODS atau XLSB); simpan sebagai XLSX atau CSV; "
                    "berkas ditolak"
                )
            # each entry read whole: its CRC is checked at its end
            wide = any(xlsx_extent.too_wide(book.read(entry)) for entry in entries)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError):
        raise FileRefused(f"{name}: bukan XLSX yang dapat dibaca (arsip rusak)") from None
    if wide:
        most = xlsx_extent.MAX_CELLS // 10**6
        raise FileRefused(
            f"{name}: lembar XLSX terlalu luas (lebih dari {most} juta sel dari A1 sampai sel "
            "terjauh; hapus sel yang jauh, atau simpan sebagai CSV); berkas ditolak"
        )


def _xlsx_rows(data: bytes, name: str) -> Iterator[Sequence[object]]:
    from python_calamine import CalamineError, CalamineWorkbook

    _check_unpacked(data, name)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        yield from sheet.iter_rows()
    except (CalamineError, ValueError, OSError) as exc:
        raise FileRefused(f"{name}: bukan XLSX yang dapat dibaca ({type(exc).__name__})") from None


def _header_cell(cell: object) -> str:
    return " ".join(str(cell if cell is not None else "").split()).upper()


def read_file(path: Path, profile: Profile) -> ReadFile[Result]:
    """Every row of the result file at `path`, read through `profile`."""
    return read_table(
        path, profile.headers(), lambda cells: pemadanan_profiles.read_row(profile, cells)
    )


def read_table[T](
    path: Path, headers: Sequence[str], read_row: Callable[[Mapping[str, object]], T]
) -> ReadFile[T]:
    """Every row of the file at `path`: the cells under `headers` (folded to upper case; each
    must be in the header row) as `read_row` reads them, or its RowRefused as a refused row."""
    data = _read_bytes(path)
    rows = _xlsx_rows(data, path.name) if data[:4] == _XLSX_MAGIC else _csv_rows(data, path.name)
    try:
        header = [_header_cell(c) for c in next(rows)]
    except StopIteration:
        raise FileRefused(f"{path.name}: berkas kosong") from None
    missing = [h for h in headers if h not in header]
    if missing:
        raise FileRefused(f"{path.name}: kolom tidak ada: {', '.join(missing)}")
    wanted = [(h, header.index(h)) for h in headers]
    read: ReadFile[T] = ReadFile()
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise FileRefused(f"{path.name}: terlalu banyak baris (maks. {thousands(MAX_ROWS)})")
        if not any(str(c).strip() for c in row if c is not None):
            continue  # a blank line
        cells = {h: (row[i] if i < len(row) else "") for h, i in wanted}
        try:
            read.results.append((number, read_row(cells)))
        except RowRefused as exc:
            read.errors.append(RowError(number, str(exc)))
    return read
