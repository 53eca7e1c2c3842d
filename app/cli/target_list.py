"""`target-list ...`: the daftar sasaran tetap per kota at Dinsos (issue 19;
app/services/target_lists.py decides):

    target-list draft --kota CODE [--json]
    target-list lock --kota CODE --number N [--date YYYY-MM-DD] [--signatory NAME]
                     [--title TITLE] [--nip NIP]
    target-list list [--kota CODE]
    target-list show NUMBER [--json]
    target-list pdf NUMBER --out FILE [--force]
    target-list export NUMBER --out FILE [--format xlsx|csv] [--force]

`draft` prints counts only (per kelurahan: on the list, left out by reason); `show --json`
gives the members with masked NIKs. `export` writes the SIKS-NG profile's rows (full NIKs).
"""

from __future__ import annotations

import argparse
import datetime as dt

from app.cli.common import EXIT_OK, Commands, add_command, add_output, login, write_json
from app.paths import AppPaths
from app.services import exports, target_list_docs, target_lists


def _kota(text: str) -> str:
    return text.strip()


def _day(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text[:20]!r}") from None


def print_counts(per_kelurahan: list[target_lists.KelurahanCount]) -> None:
    print("kode           kecamatan          kelurahan              KK   jiwa  tidak masuk")
    for k in per_kelurahan:
        left = ", ".join(f"{reason} {n}" for reason, n in k.left_out.items()) or "-"
        print(f"{k.code:<14} {k.kecamatan[:18]:<18} {k.kelurahan[:20]:<20} {k.households:>4}"
              f" {k.people:>6}  {left}")  # fmt: skip


def run_draft(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = target_lists.draft(args.kota, officer)
    if args.json:
        write_json({
            "kota": found.kota,
            "households": len(found.included),
            "people": sum(c.members for c in found.included),
            "left_out": found.left_out_counts(),
            "fingerprint": found.fingerprint,
            "per_kelurahan": [vars(k) for k in found.per_kelurahan],
        })  # fmt: skip
        return EXIT_OK
    print(f"{found.kota_name} ({found.kota})")
    print_counts(found.per_kelurahan)
    print(f"on the list: {len(found.included)} households, "
          f"{sum(c.members for c in found.included)} people")  # fmt: skip
    for reason, count in found.left_out_counts().items():
        print(f"left out: {count:>6}  {target_lists.REASONS[reason]} ({reason})")
    return EXIT_OK


def run_lock(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    made = target_lists.lock(
        args.kota, args.number, officer, date=args.date, signatory_name=args.signatory,
        signatory_title=args.title, signatory_nip=args.nip,
    )  # fmt: skip
    print(f"locked: target list {made.number} ({made.kota}, {made.date}): {made.households}"
          f" households, verification {made.verification}")  # fmt: skip
    return EXIT_OK


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    for t in target_lists.lists(officer, args.kota):
        print(f"{t.number:<28} {t.kota:<6} {t.date}  {t.households:>7} KK  {t.verification}")
    return EXIT_OK


def run_show(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = target_lists.show(args.number, officer)
    t = found.target_list
    if args.json:
        write_json({
            "number": t.number, "kota": t.kota, "date": t.date, "households": t.households,
            "verification": t.verification, "signatory_title": t.signatory_title,
            "signatory_name": t.signatory_name, "locked_by": t.locked_by,
            "locked_at": t.locked_at, "members": [vars(m) for m in found.members],
        })  # fmt: skip
        return EXIT_OK
    print(f"{t.number}  {found.kota_name} ({t.kota})  {t.date}  locked by {t.locked_by}"
          f" at {t.locked_at}  verification {t.verification}")  # fmt: skip
    print_counts(found.per_kelurahan)
    print(f"{t.households} households")
    return EXIT_OK


def run_pdf(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    out = target_list_docs.write_pdf(args.number, args.out, officer, force=args.force, paths=paths)
    print(f"{out}: penetapan {args.number}")
    return EXIT_OK


def run_export(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    result = target_list_docs.export_siks_ng(
        args.number, args.format, args.out, officer, force=args.force, paths=paths
    )
    print(f"{result.path}: {result.rows} rows, {result.households} households "
          f"({result.profile}, {result.format}), sha256 {result.sha256}")  # fmt: skip
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(
        commands, "target-list",
        "Dinas Sosial: the daftar sasaran tetap per kota (draft, lock, penetapan PDF, export).",
    )  # fmt: skip
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    draft = add_command(actions, "draft", "Who would be on the kota's list, who not and why.",
                        run_draft)  # fmt: skip
    draft.add_argument("--kota", required=True, type=_kota, help="kota code, e.g. 31.74")
    draft.add_argument("--json", action="store_true", help="print JSON (counts only)")
    lock = add_command(actions, "lock", "Determine the kota's list now; it never changes again.",
                       run_lock)  # fmt: skip
    lock.add_argument("--kota", required=True, type=_kota, help="kota code, e.g. 31.74")
    lock.add_argument("--number", required=True, help="nomor penetapan (a new one per list)")
    lock.add_argument("--date", type=_day, help="date of the penetapan (default: today)")
    lock.add_argument("--signatory", metavar="NAME", help="who signs (default: a blank line)")
    lock.add_argument("--title", help="the signatory's office (default: head of this Dinsos)")
    lock.add_argument("--nip", help="the signatory's NIP")
    listed = add_command(actions, "list", "The locked lists.", run_list)
    listed.add_argument("--kota", type=_kota, help="only this kota's")
    show = add_command(actions, "show", "A locked list: counts per kelurahan.", run_show)
    show.add_argument("number", help="nomor penetapan")
    show.add_argument("--json", action="store_true", help="print JSON with the members")
    pdf = add_command(actions, "pdf", "Write the penetapan document (PDF).", run_pdf)
    pdf.add_argument("number", help="nomor penetapan")
    add_output(pdf, "FILE", "the PDF file to write")
    export = add_command(actions, "export", "Write the list through the SIKS-NG export profile.",
                         run_export)  # fmt: skip
    export.add_argument("number", help="nomor penetapan")
    export.add_argument("--format", default="xlsx", choices=list(exports.FORMATS))
    add_output(export, "FILE", "the XLSX or CSV file to write")
