"""Where the app may write a file the user named (issue 15), and how it writes it.

Every output a user points at -- a receipt or the privacy notice (`receipt`, `privacy-notice`,
*Simpan PDF*), the public key file (`keys export`), a bundle or an acknowledgement (`bundle
export|ack`, *Kirim paket*) -- goes through `check_output` first and is written by
`write_output` / `staged_output`:

- the database, its `-wal`, `-shm`, key file (`<db>.keys`) and the copies beside it (every file
  of the database's folder whose name starts with the database's name), and anything inside the
  backups or logs folder, are refused: symlinks are resolved and real paths compared, without
  regard to case (Windows and macOS file systems ignore it), and a hard link to one of those
  files is caught by comparing the files themselves;
- an existing file is replaced only with `force` (`--force`; the GUI's save dialog asks first);
- the bytes go to a temporary file in the same folder, are fsynced and then renamed over the
  target (`os.replace`), so a failure (a full disk, a pulled USB stick) leaves the old file as
  it was and no half-written file under the name.

Which database and home are protected: those of `paths` when the caller has them (the CLI),
and always the database open in this process with the `backups` and `logs` folders beside it
(the default layout, where the database lives in the home).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.core.errors import EXIT_BAD_INPUT, UserError
from app.core.faults import disk_full, is_disk_full
from app.db.connection import database
from app.paths import AppPaths

GUARDED_FOLDERS = ("backups", "logs")  # of the home: nothing is written into them from outside


class OutputError(UserError):
    """An output path the app will not write to (or cannot): nothing was written."""

    exit_code = EXIT_BAD_INPUT


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _key(path: Path) -> str:
    """A real path compared without regard to case."""
    return os.path.normcase(str(_real(path))).casefold()


def _open_database() -> Path | None:
    """The database file open in this process (or last opened), if any."""
    db = database.obj
    name = getattr(db, "database", None) if db is not None else None
    return Path(name) if isinstance(name, str) and name not in ("", ":memory:") else None


def _guarded(paths: AppPaths | None) -> tuple[list[Path], list[Path]]:
    """(database files, guarded folders)."""
    databases: list[Path] = []
    folders: list[Path] = []
    if paths is not None:
        databases.append(paths.db)
        folders += [paths.home / name for name in GUARDED_FOLDERS]
        folders.append(paths.backups)
    open_db = _open_database()
    if open_db is not None:
        databases.append(open_db)
        folders += [open_db.parent / name for name in GUARDED_FOLDERS]
    return databases, folders


def _is_inside(path_key: str, folder: Path) -> bool:
    folder_key = _key(folder).rstrip("/\\")
    return path_key.startswith(folder_key + os.sep.casefold()) or path_key.startswith(
        folder_key + "/"
    )


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:  # one of them does not exist
        return False


def _database_file(path: Path, databases: list[Path]) -> bool:
    """`path` is a database, one of its companions (-wal, -shm, .keys, .keys.tmp, migration
    copies `<db>.v<N>-...bak`) or a hard link to one of them."""
    real = _real(path)
    for db in databases:
        db_real = _real(db)
        same_folder = _key(real.parent) == _key(db_real.parent)
        if same_folder and real.name.casefold().startswith(db_real.name.casefold()):
            return True
        if db_real.parent.is_dir():
            for companion in db_real.parent.glob(f"{db_real.name}*"):
                if _same_file(path, companion):
                    return True
    return False


def is_database_file(path: Path, paths: AppPaths | None = None) -> bool:
    """`path` is the open database (or the one of `paths`), one of its companions or a hard
    link to one of them: never an input that stands for a copy, nor an output."""
    return _database_file(path, _guarded(paths)[0])


# (Indonesian, English) of why a path is refused
DATABASE_FILE = (
    "milik basis data loket (basis data, kunci atau salinannya)",
    "the database, its key file or a copy of it",
)
GUARDED_FOLDER = ("ada di folder cadangan atau log loket", "inside the backups or logs folder")


def _refused(shown: str, why: tuple[str, str]) -> OutputError:
    return OutputError(
        f"Tidak boleh menyimpan ke {shown}: berkas itu {why[0]}. Pilih tempat lain.",
        f"refusing to write {shown}: it is {why[1]}",
    )


def check_output(
    target: str | os.PathLike[str], *, force: bool = False, paths: AppPaths | None = None
) -> Path:
    """The path to write the user's output to; OutputError (exit code 2) when the folder does
    not exist, it names a folder, the database's files or the backups, or an existing file
    without `force`."""
    shown = os.fspath(target)
    path = Path(target).expanduser()
    if not path.name or path.is_dir():
        raise OutputError(
            f"Tidak dapat menyimpan ke {shown}: itu sebuah folder.",
            f"cannot write {shown}: it is a folder",
        )
    databases, folders = _guarded(paths)
    if _database_file(path, databases):
        raise _refused(shown, DATABASE_FILE)
    path_key = _key(path)
    if any(_is_inside(path_key, folder) for folder in folders):
        raise _refused(shown, GUARDED_FOLDER)
    if not path.parent.is_dir():
        raise OutputError(
            f"Tidak dapat menyimpan ke {shown}: folder {path.parent} tidak ada.",
            f"cannot write {shown}: folder {path.parent} does not exist",
        )
    if (path.exists() or path.is_symlink()) and not force:
        raise OutputError(
            f"Berkas {shown} sudah ada; pilih nama lain atau timpa (--force).",
            f"{shown} exists; choose another name or replace it with --force",
        )
    return path


def write_error(path: Path, exc: OSError) -> UserError:
    """The refusal for an OSError while writing `path` (a full disk says so)."""
    if is_disk_full(exc):
        return disk_full(str(path))
    return OutputError(
        f"Gagal menyimpan {path}: {exc.strerror or exc}", f"cannot write {path}: {exc}"
    )


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles for this)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_temporary(path: Path, data: bytes) -> Path:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise write_error(path, exc) from None
    return temporary


@contextmanager
def staged_output(
    target: str | os.PathLike[str],
    data: bytes,
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> Iterator[Path]:
    """Write `data` beside `target` and put it in place when the `with` body succeeds (e.g.
    once the receipt is recorded); when the body raises, the temporary file is removed and the
    old file, if any, is left as it was."""
    path = check_output(target, force=force, paths=paths)
    temporary = _write_temporary(path, data)
    try:
        yield path
        check_output(path, force=force, paths=paths)  # nothing took its place meanwhile
        try:
            os.replace(temporary, path)
        except OSError as exc:
            raise write_error(path, exc) from None
        _fsync_folder(path.parent)
    finally:
        temporary.unlink(missing_ok=True)


def write_output(
    target: str | os.PathLike[str],
    data: bytes,
    *,
    force: bool = False,
    paths: AppPaths | None = None,
) -> Path:
    """Write `data` to the user's `target` (checked by `check_output`), atomically."""
    with staged_output(target, data, force=force, paths=paths) as path:
        return path
