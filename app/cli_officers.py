"""`init` (a new home, non-interactively) and `officer add|list|reset-password`."""

from __future__ import annotations

import argparse

from app import auth, services
from app.cli_common import EXIT_OK, CliError, Commands, add_command, login, read_password
from app.paths import AppPaths


def run_init(args: argparse.Namespace, paths: AppPaths) -> int:
    password = read_password("LOKET_PASSWORD", f"Kata sandi baru untuk {args.admin}: ")
    services.open_store(paths)
    if auth.has_officers():
        raise CliError(f"{paths.home} is already set up (it has officers)")
    village = services.set_village(args.kelurahan)
    auth.create_officer(args.admin, args.full_name or args.admin, "admin", password)
    print(
        f"home {paths.home} set up for Kelurahan {village.name} ({village.code}); "
        f"admin: {args.admin}"
    )
    return EXIT_OK


def officer_add(args: argparse.Namespace, paths: AppPaths) -> int:
    services.open_store(paths)
    by = login(args)
    password = read_password("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.username}: ")
    officer = auth.create_officer(args.username, args.full_name, args.role, password, by=by)
    print(f"added {officer.username} ({auth.ROLES[officer.role]})")
    return EXIT_OK


def officer_list(args: argparse.Namespace, paths: AppPaths) -> int:
    services.open_store(paths)
    login(args)
    for officer in auth.list_officers():
        print(f"{officer.username:<20} {auth.ROLES[officer.role]:<22} {officer.full_name}")
    return EXIT_OK


def officer_reset_password(args: argparse.Namespace, paths: AppPaths) -> int:
    services.open_store(paths)
    by = login(args)
    password = read_password("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.username}: ")
    auth.reset_password(args.username, password, by=by)
    print(f"password of {args.username} reset")
    return EXIT_OK


def register_init(commands: Commands) -> None:
    parser = add_command(
        commands,
        "init",
        "Set up a new home: its kelurahan and the admin account (password in LOKET_PASSWORD).",
        run_init,
    )
    parser.add_argument("--kelurahan", required=True, metavar="CODE", help="e.g. 31.74.01.1001")
    parser.add_argument("--admin", required=True, metavar="USERNAME", help="admin's username")
    parser.add_argument("--full-name", metavar="NAME", help="admin's full name")


def register_officer(commands: Commands) -> None:
    group = add_command(commands, "officer", "Officer accounts (needs --user with the right).")
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = add_command(
        actions, "add", "Add an officer (password in LOKET_NEW_PASSWORD).", officer_add
    )
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=sorted(auth.ROLES))
    add.add_argument("--full-name", required=True, metavar="NAME")
    add_command(actions, "list", "List the officers and their roles.", officer_list)
    reset = add_command(
        actions,
        "reset-password",
        "Set a forgotten password anew (new one in LOKET_NEW_PASSWORD).",
        officer_reset_password,
    )
    reset.add_argument("username")
