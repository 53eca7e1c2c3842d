"""`keys show|export|trust`: this installation's keys and the peers it trusts (issue 6)."""

from __future__ import annotations

import argparse
import sys

from app.bundle.keys import KeyFileError, fingerprint, to_file
from app.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    Commands,
    add_command,
    add_output,
    login,
    read_bounded,
)
from app.core.text import printable
from app.paths import AppPaths
from app.services import outputs
from app.services.sync import keys as service


def keys_show(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    own = service.own_public_key()
    print(f"this installation: {own.name} (device {own.device_id})")
    print(f"fingerprint: {fingerprint(own)}")
    kinds = service.peer_kinds()
    for peer, print_ in service.trusted_peers():
        print(
            f"trusted: {peer.name:<30} {print_}  (as {kinds.get(print_, '-')}, "
            f"kelurahan {peer.kelurahan or '-'})"
        )
    return EXIT_OK


def keys_export(args: argparse.Namespace, paths: AppPaths) -> int:
    outputs.check_output(args.out, force=args.force, paths=paths)
    login(args, paths)
    own = service.own_public_key()
    out = outputs.write_output(args.out, to_file(own), force=args.force, paths=paths)
    print(f"public key written to {out}; fingerprint {fingerprint(own)}")
    return EXIT_OK


def keys_trust(args: argparse.Namespace, paths: AppPaths) -> int:
    try:
        key = service.read_key_file(
            read_bounded(args.file, service.MAX_KEY_FILE, "a public key file")
        )
    except KeyFileError as exc:
        raise CliError(f"{args.file}: {exc}", EXIT_BAD_INPUT) from None
    officer = login(args, paths)
    print(f"{key.name} (device {key.device_id}), fingerprint: {fingerprint(key)}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("compare the fingerprint with the peer, then run again with --yes")
        if input("Is this the fingerprint the peer shows? [y/N] ").strip().lower() != "y":
            print("not trusted")
            return EXIT_FAILED
    service.trust_peer(key, args.name, officer, args.kind)
    print(f"trusted as {printable(args.name, limit=60)} ({args.kind})")
    return EXIT_OK


def register(commands: Commands) -> None:
    group = add_command(commands, "keys", "This installation's keys and its trusted peers.")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_command(actions, "show", "Print the fingerprint and the trusted peers.", keys_show)
    export = add_command(actions, "export", "Write the public key file for a peer.", keys_export)
    add_output(export, "FILE", "public key file to write")
    trust = add_command(
        actions,
        "trust",
        "Trust a peer's public key file after comparing its fingerprint (supervisor).",
        keys_trust,
    )
    trust.add_argument("file", metavar="FILE")
    trust.add_argument("--name", required=True, help="e.g. 'Dinsos DKI'")
    trust.add_argument(
        "--as",
        dest="kind",
        required=True,
        choices=("laptop", "kelurahan", "dinsos"),
        help="what the peer's bundles may change (DESIGN §11)",
    )
    trust.add_argument("--yes", action="store_true", help="the fingerprint has been compared")
