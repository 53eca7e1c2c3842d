"""`attachment add ID FILE --kind ...`, `attachment list ID [--json]`,
`attachment export ATTACHMENT_ID --out FILE [--force]`, `attachment delete ATTACHMENT_ID`
(issue 18). ID is a household, or for `--kind ba-scan` a musyawarah meeting."""

from __future__ import annotations

import argparse

from app.cli.common import EXIT_OK, Commands, add_command, add_output, login, write_json
from app.paths import AppPaths
from app.services import attachments, outputs


def run_add(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    added = attachments.add_file(args.id, args.file, args.kind, officer)
    print(f"added {added.id}: {added.kind}, {added.mime}, {added.size} bytes")
    return EXIT_OK


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    found = attachments.list_attachments(args.id, officer)
    if args.json:
        write_json(
            [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "mime": a.mime,
                    "size": a.size,
                    "width": a.width,
                    "height": a.height,
                    "sha256": a.sha256,
                    "added_by": a.added_by,
                    "added_at": a.added_at,
                    "stored": a.has_data,
                }
                for a in found
            ]
        )
        return EXIT_OK
    for a in found:
        stored = "" if a.has_data else "  (content not here)"
        print(f"{a.id}  {a.kind:<12} {a.size:>9}  {a.added_at[:10]}  {a.sha256[:12]}{stored}")
    if not found:
        print("no attachments")
    return EXIT_OK


def run_export(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)  # before the store opens
    officer = login(args, paths)
    out = attachments.export_attachment(
        args.attachment, args.out, officer, force=args.force, paths=paths
    )
    print(f"wrote {out}")
    return EXIT_OK


def run_delete(args: argparse.Namespace, paths: AppPaths) -> int:
    officer = login(args, paths)
    removed = attachments.delete_attachment(args.attachment, officer)
    print(f"deleted {removed.id} ({removed.kind})")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(
        commands,
        "attachment",
        "Scans and photos of a household (or the signed BA of a meeting), stored encrypted.",
    )
    sub = group.add_subparsers(title="attachment commands", metavar="COMMAND", required=True)
    add = add_command(
        sub,
        "add",
        "Add a JPEG/PNG photo or a PDF scan (at most 20 MB; photos are shrunk to 1600 px JPEG "
        "without EXIF).",
        run_add,
    )
    add.add_argument("id", metavar="HOUSEHOLD_ID", help="household_id (meeting id for ba-scan)")
    add.add_argument("file", metavar="FILE", help="image or PDF file")
    add.add_argument("--kind", required=True, choices=list(attachments.KINDS))
    listing = add_command(sub, "list", "List the attachments of a household or meeting.", run_list)
    listing.add_argument("id", metavar="HOUSEHOLD_ID", help="household_id or meeting id")
    listing.add_argument("--json", action="store_true", help="print JSON")
    export = add_command(sub, "export", "Write one attachment to a file.", run_export)
    export.add_argument("attachment", metavar="ID", help="attachment id (from `attachment list`)")
    add_output(export, "FILE", "file to write (.jpg or .pdf)")
    delete = add_command(sub, "delete", "Remove an attachment (supervisor).", run_delete)
    delete.add_argument("attachment", metavar="ID", help="attachment id")
