"""Hostile files and faults (issue 15): inputs are read up to a bound, duplicate keys and
non-ASCII digits are refused, refusals are one short line without NIKs or names, a payload
that decompresses past its bound is refused, a damaged stored date does not break a receipt,
a full disk says so, killed copies leave no partial files, and `demo` protects real homes."""

from __future__ import annotations

import codecs
import errno
import os
import shutil
import time
from pathlib import Path

import orjson
import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, log_in_again
from helpers.households import head, household
from sync_support import Installation, exchange, register

from app.bundle import file as bundle_file
from app.bundle import payload
from app.cli import main as cli
from app.core import document
from app.core.faults import DiskFullError
from app.db import households as stored_households
from app.db import settings
from app.db.connection import database
from app.paths import resolve_paths
from app.services import auth, backups, households
from app.services import receipts as receipt_service
from app.services.sync.errors import SyncError

DEWI_NIK = "3174015708850003"


def check(tmp_path: Path, capsys, content: bytes | str) -> tuple[int, str, str]:
    """`check FILE` on a file holding `content` (a str is a path to check)."""
    if isinstance(content, bytes):
        path = tmp_path / "doc.json"
        path.write_bytes(content)
        content = str(path)
    code = cli.main(["--home", str(tmp_path / "nohome"), "check", content])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_short_line(err: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1
    assert len(err.removeprefix("error: ").rstrip("\n")) <= 200


def as_json(doc) -> bytes:
    return orjson.dumps(doc)


# --- inputs ----------------------------------------------------------------------------------


def test_check_reads_dev_zero_only_up_to_its_bound(tmp_path, capsys):
    started = time.perf_counter()
    code, out, err = check(tmp_path, capsys, "/dev/zero")
    assert code == 2 and out == ""
    one_short_line(err)
    assert "too large" in err and "1024 kB" in err
    assert time.perf_counter() - started < 5


def test_a_document_over_one_megabyte_is_refused(tmp_path, capsys):
    doc = household()
    doc["address"] = "x" * 400
    padded = as_json(doc)[:-1] + b"," + b" " * document.MAX_DOCUMENT_BYTES + b'"pad": 1}'
    code, _out, err = check(tmp_path, capsys, padded)
    assert code == 2 and "too large" in err
    with pytest.raises(document.DocumentError, match="larger than 1024 kB"):
        document.parse(padded)


def test_a_key_given_twice_is_refused_not_last_wins(tmp_path, capsys):
    text = as_json(household()).decode()
    twice = text.replace('"no_kk":', '"no_kk":"3174019999990001","no_kk":', 1)
    assert orjson.loads(twice)["no_kk"]  # a JSON parser alone would take the last one
    code, out, err = check(tmp_path, capsys, twice.encode())
    assert code == 2 and out == ""
    one_short_line(err)
    assert "key no_kk twice" in err and "3174019999990001" not in err
    nested = text.replace('"nik":', '"nik":"3174019999990002","nik":', 1)
    with pytest.raises(document.DocumentError, match="key nik twice"):
        document.parse(nested)


def test_household_add_of_a_hostile_file_changes_nothing(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    auth.log_out()
    text = as_json(household()).decode()
    twice = tmp_path / "twice.json"
    twice.write_text(text.replace('"rw":', '"rw":7,"rw":', 1))
    code = cli.main(["--home", str(store.home), "--user", ADMIN, "household", "add", str(twice)])
    assert code == 2
    one_short_line(capsys.readouterr().err)
    log_in_again(store)
    assert households.household_count() == 1
    auth.log_out()
    code = cli.main(["--home", str(store.home), "--user", ADMIN, "household", "add", "/dev/zero"])
    assert code == 2 and "too large" in capsys.readouterr().err


def test_a_utf8_byte_order_mark_is_accepted(tmp_path, capsys):
    code, out, err = check(tmp_path, capsys, codecs.BOM_UTF8 + as_json(household()))
    assert code == 0 and err == "" and orjson.loads(out)["proposable"] is True


@pytest.mark.parametrize(
    ("where", "value"),
    [
        ("nik", "٣١٧٤٠١٦٧٠٥٨٠٠٠٠٤"),  # Arabic-Indic digits: Python's \d and isdigit() say yes
        ("nik", "３１７４０１６７０５８０００００４"),  # fullwidth digits
        ("nik", "3174016705800004\n"),
        ("no_kk", "٣١٧٤٠١٢٣٠٤١٥٠٠٠٧"),
        ("no_kk", "3174 0123 0415 0007"),
        ("birth_date", "١٩٨٠-٠٥-٢٧"),
    ],
)
def test_nik_no_kk_and_dates_take_ascii_digits_only(tmp_path, capsys, where, value):
    doc = household()
    if where == "no_kk":
        doc["no_kk"] = value
    else:
        doc["members"][0][where] = value
    code, _out, err = check(tmp_path, capsys, as_json(doc))
    assert code == 2 and ("does not match" in err or "longer than 16" in err)
    one_short_line(err)
    with pytest.raises(document.DocumentError):
        document.validate(doc)


def test_a_partly_typed_nik_is_still_a_draft_not_a_broken_file(tmp_path, capsys):
    doc = household(head(nik="31740167"))
    code, out, _err = check(tmp_path, capsys, as_json(doc))
    assert code == 3 and "nik_format" in out  # the rule's finding, as before


def test_fifty_one_members_are_refused_in_one_line_without_niks_or_names(tmp_path, capsys):
    members = [head(nik=f"31740167058{i:05d}", name=f"Warga Rahasia {i}") for i in range(51)]
    code, out, err = check(tmp_path, capsys, as_json(household(*members)))
    assert code == 2 and out == ""
    one_short_line(err)
    assert "more than 50 items" in err
    assert "Rahasia" not in err and "31740167058" not in err


@pytest.mark.parametrize(
    ("path", "value", "secret"),
    [
        (("members", 0, "name"), "Nur Hasanah binti " + "Abdullah " * 30, "Abdullah"),
        (("address",), "Jl. Rahasia No. 5 " * 40, "Rahasia"),
        (("members", 0, "nik"), "3174016705800004" * 2, "3174016705800004"),
        (("members", 0, "nik"), "317401670580000X", "317401670580000"),
        (("matching",), {"nik_not_found": ["3174016705800004x"]}, "3174016705800004"),
        (("members", 0, "birth_place"), ["Jakarta", DEWI_NIK], DEWI_NIK),
    ],
)
def test_a_refusal_never_quotes_a_name_an_address_or_a_nik(path, value, secret):
    doc = household()
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(document.DocumentError) as refused:
        document.validate(doc)
    message = str(refused.value)
    assert secret not in message and "\n" not in message and len(message) <= 200


def test_every_string_and_list_of_the_schema_is_bounded():
    unbounded = []

    def walk(node, path):
        if isinstance(node, dict):
            types = node.get("type")
            types = types if isinstance(types, list) else [types]
            if "string" in types and "maxLength" not in node:
                unbounded.append(path)
            if "array" in types and "maxItems" not in node:
                unbounded.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")

    walk(document.load_schema(), "")
    assert unbounded == []
    members = document.load_schema()["properties"]["members"]
    assert members["maxItems"] == 50
    nik = members["items"]["properties"]["nik"]
    assert nik["pattern"] == "^[0-9]{0,16}$" and nik["maxLength"] == 16


# --- bundles ---------------------------------------------------------------------------------


def test_a_payload_that_decompresses_past_the_bound_is_refused(tmp_path, monkeypatch):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        for i in range(3):
            register(f"Warga {i}", address="Jl. Panjang " * 30)
        bundle = laptop.export(kelurahan)
    monkeypatch.setattr(bundle_file, "MAX_UNCOMPRESSED", 4 * 1024)  # the setting, made tiny
    with kelurahan:
        before = households.household_count()
        with pytest.raises(SyncError) as refused:
            kelurahan.take(bundle)
        assert households.household_count() == before
    assert "decompresses to more than" in refused.value.detail
    assert "\n" not in str(refused.value)


def test_the_reader_stops_a_zstd_bomb_early(tmp_path):
    """A small payload that would expand to gigabytes: the reader feeds zstd small slices, so
    it is refused after a bounded amount of work and memory."""
    import zstandard

    record = b'{"a":1}\n'
    bomb = zstandard.ZstdCompressor(level=19).compress(record * (64 * 1024 * 1024 // 8))
    assert len(bomb) < 100_000  # 64 MB of records in a few kB
    sink = payload.RecordSink(lambda _r: None, limit=10**9, max_bytes=1024 * 1024)
    with pytest.raises(OSError):
        sink.write(bomb)  # as age hands on decrypted bytes
    assert isinstance(sink.error, bundle_file.BundleError) and sink.error.reason == "size"
    assert sink.size <= 1024 * 1024 + 32 * 1024 * 1024  # one slice past the bound at most


# --- faults ----------------------------------------------------------------------------------


def test_a_damaged_musyawarah_date_does_not_break_the_receipt(store):
    saved = households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    damaged = {**saved, "musyawarah": {**saved["musyawarah"], "date": "2024-99-99"}}
    with database.atomic():  # as a damaged row or an old version's write would leave it
        stored_households.save(damaged)
    assert households.load_household(saved["household_id"])["musyawarah"]["date"] == "2024-99-99"
    settings.put(receipt_service.MUSYAWARAH_KEY, "2024-13-45")
    assert receipt_service.musyawarah_date() is None
    receipt = receipt_service.print_receipt(saved["household_id"], ADMIN_OFFICER)
    assert receipt.pdf.startswith(b"%PDF")


def test_a_full_disk_during_a_backup_says_so_and_loses_nothing(store, monkeypatch, capsys):
    households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)

    def no_space(_source, _target):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", no_space)
    code = cli.main(["--home", str(store.home), "--user", ADMIN, "backup", "create"])
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("error: disk full") and "nothing was lost" in err
    one_short_line(err)
    assert "key" not in err and "unexpected" not in err
    assert list(store.backups.glob("*.partial*")) == []
    monkeypatch.undo()
    log_in_again(store)
    assert households.household_count() == 1
    with pytest.raises(DiskFullError) as full:
        monkeypatch.setattr(shutil, "copyfile", no_space)
        backups.create_backup(store, "manual")
    assert str(full.value).startswith("Disk penuh: cadangan loket-")
    assert "tidak ada data yang hilang" in str(full.value)


def test_partial_files_of_killed_copies_are_removed_on_the_next_backup(store):
    store.backups.mkdir(exist_ok=True)
    killed = [store.backups / f"loket-20260101-080000-daily.db.partial{s}" for s in ("", "-wal")]
    for path in killed:
        path.write_bytes(b"half a copy")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    running = store.backups / "loket-20260101-090000-import.db.partial"
    running.write_bytes(b"another process is writing this one right now")
    mine = store.backups / "notes.partial"  # not a copy: left alone
    mine.write_bytes(b"x")
    os.utime(mine, (time.time() - 3600, time.time() - 3600))
    backups.daily_backup(store)
    assert not any(path.exists() for path in killed)
    assert running.exists() and mine.exists()
    assert [b.reason for b in backups.list_backups(store)] == ["daily"]


# --- demo ------------------------------------------------------------------------------------


def test_demo_prints_the_login_before_loading(tmp_path, capsys, monkeypatch):
    from app.services import demo as demo_service

    def killed(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(demo_service, "load_demo", killed)
    home = tmp_path / "demo-home"
    assert cli.main(["--home", str(home), "demo", "--households", "5"]) == 130
    out = capsys.readouterr().out
    password = out.split("password: ")[1].split()[0]
    assert "recovery key: " in out
    paths = resolve_paths(home=home)
    officer = auth.log_in(paths, "demo-admin", password)  # the home can be logged in to
    assert officer.role == "admin"
    auth.log_out()


def test_demo_is_refused_on_a_home_with_real_households(store, capsys, monkeypatch):
    households.save_household(household(), final=True, officer=ADMIN_OFFICER)
    auth.log_out()
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    code = cli.main(["--home", str(store.home), "--user", ADMIN, "demo", "--households", "5"])
    err = capsys.readouterr().err
    assert code == 1 and "not demo data" in err
    one_short_line(err)
    log_in_again(store)
    assert households.household_count() == 1


def test_demo_may_add_to_a_home_of_demo_data(store, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    auth.log_out()
    args = ["--home", str(store.home), "--user", ADMIN, "demo", "--households", "5"]
    assert cli.main([*args, "--seed", "1"]) == 0
    assert cli.main([*args, "--seed", "2"]) == 0
    capsys.readouterr()
    log_in_again(store)
    assert households.household_count() == 10


def test_keys_trust_reads_a_key_file_only_up_to_its_bound(store, capsys, monkeypatch):
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    auth.log_out()
    args = ["--home", str(store.home), "--user", ADMIN, "keys", "trust", "/dev/zero"]
    assert cli.main([*args, "--name", "Dinsos", "--as", "dinsos", "--yes"]) == 2
    err = capsys.readouterr().err
    assert "too large for a public key file" in err
    one_short_line(err)


def test_a_full_disk_at_login_is_named_not_blamed_on_the_key(store, monkeypatch):
    import sqlcipher3
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    auth.log_out()
    before = store.db.read_bytes()

    def full(self, *args, **kwargs):
        raise sqlcipher3.OperationalError("database or disk is full")

    monkeypatch.setattr(SqlCipherDatabase, "connect", full)
    with pytest.raises(DiskFullError, match="Disk penuh"):
        auth.log_in(store, ADMIN, ADMIN_PASSWORD)
    assert store.db.read_bytes() == before


def test_the_key_dialog_refuses_to_write_over_the_live_database(qtbot, store, admin):
    from app.ui.runner import Runner
    from app.ui.sync.keys_dialog import KeysDialog

    dialog = KeysDialog(Runner(synchronous=True), admin)
    qtbot.addWidget(dialog)
    before = store.db.read_bytes()
    dialog.write_public_key(store.db)
    assert store.db.read_bytes() == before
    assert dialog.error.text() and "Kunci publik tersimpan" not in dialog.message.text()
