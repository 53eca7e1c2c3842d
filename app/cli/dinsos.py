"""`dinsos overview [--json] [--xlsx FILE [--force]]`: the Dinsos overview of kelurahan
(issue 19, app/services/overview.py); counts only, no personal data.
`dinsos duplicates [--json] [--notify]`: NIK / No. KK registered in two kelurahan, masked
(app/services/cross_duplicates.py); `--notify` records the notices for the next bundles."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command, login, write_json
from app.paths import AppPaths
from app.services import cross_duplicates, overview


def dinsos_overview(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    rows = overview.overview(officer)
    if args.xlsx:
        out = overview.write_xlsx(rows, args.xlsx, force=args.force, paths=paths)
        print(f"{out}: {len(rows)} kelurahan")
    elif args.json:
        write_json([r.as_dict() for r in rows])
    else:
        print(
            "kode           kelurahan                 paket terakhir        keluarga  ba  konflik"
        )
        for r in rows:
            print(
                f"{r.village_code:<14} {r.kelurahan[:25]:<25} {r.last_bundle_at or '-':<21}"
                f" {r.households:>8}  {'ya' if r.meeting_locked else '-':<3} {r.in_conflict:>7}"
            )
    return EXIT_OK


def dinsos_duplicates(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    if args.notify:
        sent = cross_duplicates.notify(officer)
        if args.json:
            write_json({"notices": sent.notices, "cleared": sent.cleared})
            return EXIT_OK
        print(f"notices recorded: {sent.notices} households; cleared: {sent.cleared} households")
        return EXIT_OK
    groups = cross_duplicates.find(officer)
    if args.json:
        write_json([g.as_dict() for g in groups])
        return EXIT_OK
    print("jenis   nilai             kelurahan                  nomor pendaftaran      status")
    for g in groups:
        for h in g.households:
            print(
                f"{g.kind:<7} {g.masked:<17} {h.kelurahan[:26]:<26}"
                f" {h.registration_number or '-':<22} {h.status_label}"
            )
    print(f"{len(groups)} NIK / No. KK in more than one kelurahan")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(
        commands, "dinsos", "Dinas Sosial: the overview of kelurahan, cross-kelurahan duplicates."
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    shown = add_command(
        actions, "overview", "Per kelurahan: bundles, households, musyawarah, gaps, conflicts.",
        dinsos_overview,
    )  # fmt: skip
    shown.add_argument("--json", action="store_true", help="print JSON")
    shown.add_argument("--xlsx", metavar="FILE", help="write the overview as an XLSX file")
    shown.add_argument("--force", action="store_true", help="replace the file if it exists")
    duplicates = add_command(
        actions, "duplicates", "NIK / No. KK registered in two kelurahan (masked); --notify.",
        dinsos_duplicates,
    )  # fmt: skip
    duplicates.add_argument("--json", action="store_true", help="print JSON")
    duplicates.add_argument(
        "--notify", action="store_true",
        help="record a notice on each household concerned (and clear those that no longer hold)",
    )  # fmt: skip
