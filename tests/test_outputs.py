"""Outputs go where the user points, but never over the store (issue 15): `receipt`,
`privacy-notice`, `keys export`, `bundle export|ack` and the GUI's *Simpan PDF* refuse the
database, its -wal/-shm, its key file and the backups folder (through symlinks, hard links and
another case too), replace an existing file only with --force, and write atomically."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, log_in_again
from helpers.households import household

from app.cli import main as cli
from app.core.faults import DiskFullError
from app.services import auth, backups, households, outputs
from app.services import receipts as receipt_service


@pytest.fixture
def home(store, monkeypatch):
    """A set-up home with one household saved as final and a backup; closed, as a CLI finds
    it."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    final = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    backups.create_backup(store, "manual")
    auth.log_out()
    return store, final["household_id"]


def app(paths, *args: str) -> int:
    return cli.main(["--home", str(paths.home), "--user", ADMIN, *args])


def digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def protected(paths) -> list[Path]:
    [backup] = paths.backups.glob("loket-*.db")
    return [
        paths.db,
        paths.db.with_name(paths.db.name + "-wal"),
        paths.db.with_name(paths.db.name + "-shm"),
        paths.db.with_name(paths.db.name + ".keys"),
        backup,
        paths.backups / "new.pdf",  # not there yet, but inside the backups folder
    ]


def commands(household_id: str, out: Path) -> list[list[str]]:
    return [
        ["receipt", household_id, "--out", str(out)],
        ["privacy-notice", "--out", str(out)],
        ["keys", "export", "--out", str(out)],
        ["bundle", "export", "--to", "nobody", "--out", str(out)],
        ["bundle", "ack", "--to", "nobody", "--out", str(out)],
    ]


def test_no_output_overwrites_the_database_its_key_file_or_a_backup(home, capsys):
    paths, household_id = home
    for target in protected(paths):
        for command in commands(household_id, target):
            for force in ((), ("--force",)):
                before = digest(paths.home)
                assert app(paths, *command, *force) == 2, (command, force)
                err = capsys.readouterr().err
                assert err.startswith("error: refusing to write") and err.count("\n") == 1
                after = digest(paths.home)
                # the store's files are byte for byte as they were (a login may only append
                # its audit entry to the database's WAL, and the refusal comes before it)
                assert after == before, (command, force)
    log_in_again(paths)
    assert receipt_service.receipt_history(household_id) == []


def test_a_symlink_a_hard_link_or_another_case_does_not_get_around_it(home, tmp_path, capsys):
    paths, household_id = home
    link = tmp_path / "innocent.pdf"
    link.symlink_to(paths.db)
    folder_link = tmp_path / "elsewhere"
    folder_link.symlink_to(paths.home)
    hard = tmp_path / "hard.pdf"
    os.link(paths.db.with_name(paths.db.name + ".keys"), hard)
    shouted = paths.home / "LOKET.DB"
    before = digest(paths.home)
    for target in (link, folder_link / "loket.db.keys", folder_link / "backups" / "x.pdf",
                   hard, shouted):  # fmt: skip
        assert app(paths, "privacy-notice", "--out", str(target), "--force") == 2, target
        assert "refusing to write" in capsys.readouterr().err
        assert app(paths, "receipt", household_id, "--out", str(target), "--force") == 2
        capsys.readouterr()
    assert digest(paths.home) == before
    assert link.resolve() == paths.db.resolve()


def test_an_existing_file_is_replaced_only_with_force(home, tmp_path, capsys):
    paths, household_id = home
    out = tmp_path / "tanda-terima.pdf"
    out.write_bytes(b"yesterday's receipt")
    assert app(paths, "receipt", household_id, "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert "exists" in err and "--force" in err
    assert out.read_bytes() == b"yesterday's receipt"
    log_in_again(paths)
    assert receipt_service.receipt_history(household_id) == []  # nothing was issued
    auth.log_out()

    key = tmp_path / "kunci.pub"
    key.write_bytes(b"old key")
    assert app(paths, "keys", "export", "--out", str(key)) == 2
    assert key.read_bytes() == b"old key"
    assert app(paths, "keys", "export", "--out", str(key), "--force") == 0
    assert key.read_bytes() != b"old key"

    assert app(paths, "receipt", household_id, "--out", str(out), "--force") == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []


def test_a_failed_write_leaves_the_old_file_and_no_partial(home, tmp_path, capsys, monkeypatch):
    paths, _household_id = home
    (tmp_path / "usb").mkdir()
    out = tmp_path / "usb" / "privasi.pdf"
    out.write_bytes(b"the old notice")

    real_fsync = os.fsync

    def disk_full_on_the_usb_stick(fd):  # the OS boundary: only the output's own file fills up
        if any(".partial" in p.name for p in out.parent.iterdir()):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full_on_the_usb_stick)
    assert app(paths, "privacy-notice", "--out", str(out), "--force") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: disk full") and "nothing was lost" in err
    assert out.read_bytes() == b"the old notice"
    assert sorted(p.name for p in out.parent.iterdir()) == ["privasi.pdf"]


def test_a_receipt_that_cannot_be_recorded_keeps_the_old_file(home, tmp_path, monkeypatch):
    paths, household_id = home
    (tmp_path / "usb").mkdir()
    out = tmp_path / "usb" / "r.pdf"
    out.write_bytes(b"old")

    def refused(*_args):
        raise receipt_service.UserError("dicetak di tempat lain", "printed elsewhere")

    monkeypatch.setattr(receipt_service, "issue_receipt", refused)
    assert app(paths, "receipt", household_id, "--out", str(out), "--force") == 1
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in out.parent.iterdir()) == ["r.pdf"]


def test_the_service_refuses_the_open_database_without_being_told_the_home(store, tmp_path):
    """The GUI passes no paths: the database open in the process is protected anyway."""
    before = store.db.read_bytes()
    for target in (store.db, store.db.with_name("loket.db.keys"), store.backups / "x.pdf"):
        with pytest.raises(outputs.OutputError, match="Tidak boleh menyimpan"):
            outputs.write_output(target, b"%PDF-1.4 hostile", force=True)
    assert store.db.read_bytes() == before
    assert outputs.write_output(tmp_path / "ok.pdf", b"%PDF") == tmp_path / "ok.pdf"


def test_simpan_pdf_in_the_gui_refuses_the_database(qtbot, store, monkeypatch):
    from app.ui.widgets import pdf_preview

    shown = []
    monkeypatch.setattr(pdf_preview, "show_error", lambda _w, exc, **_k: shown.append(exc))
    preview = pdf_preview.PdfPreview(receipt_service.privacy_notice(), "Privasi", "privasi.pdf")
    qtbot.addWidget(preview)
    issued = []
    preview.issued.connect(lambda: issued.append(True))
    before = store.db.read_bytes()
    preview.save_to(store.db)
    assert len(shown) == 1 and "Tidak boleh menyimpan" in str(shown[0])
    assert store.db.read_bytes() == before and issued == []


def test_disk_full_is_a_user_error_and_an_os_error():
    error = outputs.write_error(Path("x.pdf"), OSError(errno.ENOSPC, "No space left on device"))
    assert isinstance(error, DiskFullError) and isinstance(error, OSError)
    assert str(error).startswith("Disk penuh: x.pdf") and "tidak ada data yang hilang" in str(error)
