"""Dinsos' own column profiles in the result-import dialog (issue 19): *Muat profil… (Alt+O)*
picks a .toml, the service checks it with the profile parser and keeps it for the installation
(app/services/result_profiles.py); the list offers it, in this dialog and every later one, and
a preview reads the file through it. A bad, huge, non-regular or misnamed file is refused in one
line and nothing is kept."""

from __future__ import annotations

import os

import pytest
from conftest import ADMIN_OFFICER, officer_named
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from test_gui_dinsos import (
    HEAD_NIK,
    counts_shown,
    dinsos_window,
    focused,
    import_dialog,
    refused_shown,
    saved,  # noqa: F401 (the fixture: a Dinsos installation holding one household)
)
from test_gui_mnemonics import check

from app.db import audit, settings
from app.services import outcomes, pemadanan, result_profiles
from app.services.actions import AuthError
from app.services.pemadanan_files import MAX_PROFILE_BYTES

# Bapenda's file as one kota actually sends it: other headers, other words
OWN_BAPENDA = """\
name = "bapenda-jaksel"
version = 2
title = "Bapenda Jakarta Selatan"
source = "bapenda"

[columns]
nik = "NOMOR INDUK KEPENDUDUKAN"
car = "KENDARAAN RODA 4"
njop = "NILAI NJOP"

[values]
car_yes = ["ADA"]
car_no = ["TIDAK ADA"]
"""


@pytest.fixture
def dinsos(request) -> str:
    """test_gui_dinsos' `saved`: a Dinsos installation holding one household (its id)."""
    return str(request.getfixturevalue("saved"))


@pytest.fixture
def win(qtbot, dinsos):
    return dinsos_window(qtbot)


def own_file(tmp_path, text: str = OWN_BAPENDA, name: str = "bapenda-jaksel.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pick(monkeypatch, path) -> None:
    """The file dialog answers `path` (the only part of the test that is not real)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))


def offered(dialog) -> list[str]:
    return [dialog.profile.itemText(i) for i in range(dialog.profile.count())]


def test_a_good_profile_is_loaded_by_keyboard_used_and_remembered(
    qtbot, win, tmp_path, monkeypatch
):
    pick(monkeypatch, own_file(tmp_path))
    dialog = import_dialog(win)
    problems: dict[str, object] = {}
    check(dialog, problems, "result import")
    assert problems == {}
    assert offered(dialog) == ["bapenda", "dukcapil"]
    focused(qtbot, dialog.path)  # the dialog is the active window
    qtbot.keyClick(dialog.path, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.profile.currentText() == "bapenda-jaksel")
    assert offered(dialog) == ["bapenda", "dukcapil", "bapenda-jaksel"]
    assert "bapenda-jaksel dimuat dan disimpan" in dialog.summary.text()
    assert dialog.error.text() == ""
    focused(qtbot, dialog.profile)
    [entry] = [e for e in audit.entries() if e.action == "result_profile.saved"]
    assert entry.detail["name"] == "bapenda-jaksel" and entry.detail["version"] == 2

    data = tmp_path / "hasil.csv"  # named after no profile: the chosen one stays
    data.write_text(
        f"NOMOR INDUK KEPENDUDUKAN;KENDARAAN RODA 4;NILAI NJOP\n{HEAD_NIK};ADA;2.000.000.000\n"
        "3174010101900009;TIDAK ADA;\n"
        "3174010101900010;MUNGKIN;\n",
        encoding="utf-8",
    )
    dialog.path.setText(str(data))
    dialog.preview_button.click()
    shown = counts_shown(dialog)
    labels = dict(pemadanan.COUNTS)
    assert shown[labels["car"]] == "1" and shown[labels["njop_over_limit"]] == "1", shown
    assert [r[:8] for r in refused_shown(dialog)] == ["baris 4:"]
    dialog.close()

    again = import_dialog(win)  # a new dialog: still offered
    assert offered(again) == ["bapenda", "dukcapil", "bapenda-jaksel"]
    assert pemadanan.load_profile("bapenda-jaksel").columns["car"] == "KENDARAAN RODA 4"
    os.remove(tmp_path / "bapenda-jaksel.toml")  # kept as checked text, not as a file path
    assert pemadanan.load_profile("bapenda-jaksel").version == 2
    win.dinsos_menu.outcomes_action.trigger()  # SIKS-NG's list is its own
    assert "bapenda-jaksel" not in offered(win.dinsos_menu.dialog)


@pytest.mark.parametrize(
    ("text", "name", "says"),
    [
        (OWN_BAPENDA.replace('nik = "NOMOR', 'nomor = "NOMOR'), "rusak.toml", "tidak dikenal"),
        ("name = [", "bukan-toml.toml", "bukan TOML yang sah"),
        (OWN_BAPENDA.replace('"bapenda-jaksel"', '"bapenda"', 1), "salinan.toml", "bawaan"),
        (OWN_BAPENDA, "profil.txt", "pilih berkas .toml"),
        ("# " + "x" * MAX_PROFILE_BYTES, "besar.toml", "terlalu besar"),
        (b"\xff\xfe n".decode("latin-1"), "latin.toml", "bukan UTF-8"),
    ],
)
def test_a_bad_profile_is_refused_in_one_line_and_nothing_is_kept(
    qtbot, win, tmp_path, monkeypatch, text, name, says
):
    path = tmp_path / name
    path.write_bytes(text.encode("latin-1" if name == "latin.toml" else "utf-8"))
    pick(monkeypatch, path)
    dialog = import_dialog(win)
    before = offered(dialog)
    dialog.load_profile_button.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert says in dialog.error.text() and "\n" not in dialog.error.text()
    assert offered(dialog) == before
    assert settings.get(result_profiles.PEMADANAN.key) is None
    assert not [e for e in audit.entries() if e.action == "result_profile.saved"]


def test_a_fifo_or_a_folder_is_refused_without_waiting(dinsos, tmp_path):
    fifo = tmp_path / "pipa.toml"
    os.mkfifo(fifo)  # reading it would block for ever
    folder = tmp_path / "map.toml"
    folder.mkdir()
    for path in (fifo, folder):
        with pytest.raises(Exception, match="bukan berkas biasa"):
            pemadanan.remember_profile(path, ADMIN_OFFICER)
    assert settings.get(result_profiles.PEMADANAN.key) is None


def test_outcome_profiles_too_and_only_by_the_import_role_at_dinsos(dinsos, tmp_path):
    text = (outcomes.profiles_folder() / "siks-ng.toml").read_text(encoding="utf-8")
    mine = own_file(tmp_path, text.replace('"siks-ng"', '"siks-ng-2027"', 1), "baru.toml")
    with pytest.raises(AuthError):
        outcomes.remember_profile(mine, officer_named("budi", "petugas"))
    assert outcomes.remember_profile(mine, ADMIN_OFFICER) == "siks-ng-2027"
    assert outcomes.names() == ["siks-ng", "siks-ng-2027"]
    assert outcomes.load_profile("siks-ng-2027").name == "siks-ng-2027"
    assert "siks-ng-2027" not in pemadanan.names()
    newer = text.replace('"siks-ng"', '"siks-ng-2027"', 1).replace("version = 1", "version = 2")
    assert outcomes.remember_profile(own_file(tmp_path, newer, "lagi.toml"), ADMIN_OFFICER)
    assert outcomes.names() == ["siks-ng", "siks-ng-2027"]  # replaced, not added
    assert outcomes.load_profile("siks-ng-2027").version == 2


def test_a_kelurahan_installation_does_not_keep_profiles(store, tmp_path):
    with pytest.raises(AuthError, match="Dinas Sosial"):
        pemadanan.remember_profile(own_file(tmp_path), ADMIN_OFFICER)
    assert settings.get(result_profiles.PEMADANAN.key) is None


def test_the_dialog_at_1366x768(qtbot, dinsos, tmp_path):
    window = dinsos_window(qtbot)
    window.resize(1366, 768)
    pemadanan.remember_profile(own_file(tmp_path), ADMIN_OFFICER)
    dialog = import_dialog(window)
    assert dialog.load_profile_button.isVisible()
    assert offered(dialog)[-1] == "bapenda-jaksel"
    assert dialog.frameGeometry().height() <= 768 and dialog.frameGeometry().width() <= 1366
