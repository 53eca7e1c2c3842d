"""`init` (a new home, non-interactively), `encrypt` (a database of an earlier version),
`recover` (the paper recovery key) and `officer add|list|reset-password|deactivate|rekey`."""

from __future__ import annotations

import argparse

from app.cli import setup as cli_setup
from app.cli.common import EXIT_OK, CliError, Commands, add_command, login, read_password
from app.paths import AppPaths
from app.services import auth

RECOVERY_ADVICE = (
    "Write the recovery key on paper and keep it locked away: with it the database can be"
    " opened when every password is forgotten; without it and the passwords, nobody can."
)


def print_recovery_key(recovery: str) -> None:
    print(f"recovery key: {recovery}")
    print(RECOVERY_ADVICE)


def run_init(args: argparse.Namespace, paths: AppPaths) -> int:
    cli_setup.check_init_area(args)
    if auth.is_set_up(paths):
        raise CliError(f"{paths.home} is already set up")
    password = read_password("LOKET_PASSWORD", f"Kata sandi baru untuk {args.admin}: ")
    admin, recovery = auth.set_up(
        paths, args.admin, args.full_name or args.admin, password, kelurahan=args.kelurahan
    )
    served = cli_setup.apply_init_area(args, admin)
    print(f"home {paths.home} set up for {served}; admin: {args.admin}")
    print_recovery_key(recovery)
    return EXIT_OK


def run_encrypt(args: argparse.Namespace, paths: AppPaths) -> int:
    if not auth.needs_encryption(paths):
        raise CliError(f"{paths.db} needs no encryption (it is encrypted or has no officers)")
    if not args.user:
        raise CliError("encrypting needs the admin's login: --user NAME (LOKET_PASSWORD)")
    password = read_password("LOKET_PASSWORD", f"Kata sandi {args.user}: ")
    officer, recovery = auth.encrypt_legacy(paths, args.user, password)
    others = [o.username for o in auth.list_officers() if o.username != officer.username]
    print(f"{paths.db} is now encrypted")
    if others:
        print(f"these officers need a password reset by {officer.username}: {', '.join(others)}")
    print_recovery_key(recovery)
    return EXIT_OK


def run_recover(args: argparse.Namespace, paths: AppPaths) -> int:
    recovery = read_password("LOKET_RECOVERY_KEY", "Kunci pemulihan: ")
    password = read_password("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.admin}: ")
    auth.recover(paths, recovery, args.admin, password)
    print(f"{args.admin} can log in with the new password")
    return EXIT_OK


def officer_add(args: argparse.Namespace, paths: AppPaths) -> int:
    by = login(args, paths)
    password = read_password("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.username}: ")
    officer = auth.create_officer(args.username, args.full_name, args.role, password, by=by)
    print(f"added {officer.username} ({auth.ROLES[officer.role]})")
    return EXIT_OK


def officer_list(args: argparse.Namespace, paths: AppPaths) -> int:
    login(args, paths)
    for officer in auth.list_officers():
        print(f"{officer.username:<20} {auth.ROLES[officer.role]:<22} {officer.full_name}")
    return EXIT_OK


def officer_reset_password(args: argparse.Namespace, paths: AppPaths) -> int:
    by = login(args, paths)
    password = read_password("LOKET_NEW_PASSWORD", f"Kata sandi baru untuk {args.username}: ")
    auth.reset_password(args.username, password, by=by)
    print(f"password of {args.username} reset")
    return EXIT_OK


OLD_BACKUPS = (
    "Backups made before keep the old key: they open only with the old recovery key. Old"
    " copies of the key file open nothing live."
)


def print_rekeyed(rekeyed: auth.Rekeyed) -> None:
    """The new recovery key of a re-keyed database, and who needs a password reset."""
    print_recovery_key(rekeyed.recovery)
    print(OLD_BACKUPS)
    if rekeyed.dropped:
        print(f"these officers need a password reset: {', '.join(rekeyed.dropped)}")


def officer_deactivate(args: argparse.Namespace, paths: AppPaths) -> int:
    by = login(args, paths)
    rekeyed = auth.deactivate_officer(args.username, by)
    print(f"{args.username} can no longer log in; the database has a new key")
    print_rekeyed(rekeyed)
    return EXIT_OK


def officer_rekey(args: argparse.Namespace, paths: AppPaths) -> int:
    by = login(args, paths)
    rekeyed = auth.change_database_key(by)
    print("the database has a new key; every active officer logs in as before")
    print_rekeyed(rekeyed)
    return EXIT_OK


def register_init(commands: Commands) -> None:
    parser = add_command(
        commands,
        "init",
        "Set up a new home: its kelurahan, the admin account (password in LOKET_PASSWORD) and "
        "the encrypted database; prints the recovery key.",
        run_init,
    )
    cli_setup.add_init_area(parser)
    parser.add_argument("--admin", required=True, metavar="USERNAME", help="admin's username")
    parser.add_argument("--full-name", metavar="NAME", help="admin's full name")
    add_command(
        commands,
        "encrypt",
        "Encrypt a database from an earlier version (admin login with --user); prints the "
        "recovery key.",
        run_encrypt,
    )
    recover = add_command(
        commands,
        "recover",
        "Open the database with the recovery key (LOKET_RECOVERY_KEY) and give an admin a new "
        "password (LOKET_NEW_PASSWORD).",
        run_recover,
    )
    recover.add_argument("--admin", required=True, metavar="USERNAME")


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
    deactivate = add_command(
        actions,
        "deactivate",
        "Close an account: it can no longer log in, and the database is re-keyed (prints the "
        "new recovery key).",
        officer_deactivate,
    )
    deactivate.add_argument("username")
    add_command(
        actions,
        "rekey",
        "Give the database a new key (Ganti kunci basis data); prints the new recovery key.",
        officer_rekey,
    )
