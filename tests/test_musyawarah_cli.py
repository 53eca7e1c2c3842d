"""`musyawarah ...` on the command line (in-process: `cli.main`), the issue's contract: create
prints the meeting id, agenda lists household_id / head / RW / RT, decide, print, lock; with the
roles and refusals of the services and one-line errors that name no one."""

from __future__ import annotations

import json

import pytest
from conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD, FAST_KDF, OFFICER_PASSWORD, log_in_again
from helpers.households import complete

from app.cli import main as cli
from app.core.document import new_household, new_member
from app.db import households as stored
from app.services import auth, households


def family(name: str, rw: int, rt: int) -> dict:
    doc = new_household("31.74.01.1001", rw=rw, rt=rt, address=f"Jl. Tebet Raya No. {rt}")
    doc["members"] = [new_member(name=name, relationship=1)]
    return households.save_household(complete(doc), final=True, officer=ADMIN_OFFICER)


@pytest.fixture
def home(store, monkeypatch):
    """A home with three registered households and a petugas; the store closed, as a CLI run
    finds it."""
    monkeypatch.setenv("LOKET_PASSWORD", ADMIN_PASSWORD)
    families = [
        family("Ani Wijaya", 3, 2),
        family("Budi Santoso", 1, 4),
        family("Citra Dewi", 3, 1),
    ]
    auth.create_officer("budi", "Budi", "petugas", OFFICER_PASSWORD, ADMIN_OFFICER, FAST_KDF)
    auth.log_out()
    return store, families


def app(paths, *args: str, user: str = ADMIN) -> int:
    return cli.main(["--home", str(paths.home), "--user", user, *args])


def create(paths, capsys, *extra: str) -> str:
    assert app(paths, "musyawarah", "create", "--date", "2026-12-07", "--place", "Aula",
               *extra) == 0  # fmt: skip
    return capsys.readouterr().out.strip()


def test_plan_decide_print_and_lock_on_the_command_line(home, tmp_path, capsys):
    paths, (ani, budi, citra) = home
    meeting = create(paths, capsys, "--time", "09.00", "--chair", "H. Mulyadi")
    assert len(meeting) == 36  # a UUID, alone on its line

    assert app(paths, "musyawarah", "participant", meeting, "--name", "Siti Aminah",
               "--role", "lpm") == 0  # fmt: skip
    assert capsys.readouterr().out == "participant 1 added (LPM)\n"  # the name is not echoed
    assert app(paths, "musyawarah", "agenda", meeting, "--json") == 0
    agenda = json.loads(capsys.readouterr().out)
    listed = [(h["household_id"], h["head"], h["rw"], h["rt"]) for h in agenda["households"]]
    assert listed == [
        (budi["household_id"], "Budi Santoso", 1, 4),
        (citra["household_id"], "Citra Dewi", 3, 1),
        (ani["household_id"], "Ani Wijaya", 3, 2),
    ]
    assert app(paths, "musyawarah", "decide", meeting, ani["household_id"], "eligible") == 0
    assert app(paths, "musyawarah", "decide", meeting, budi["household_id"], "not_poor",
               "--reason", "Memiliki usaha bengkel besar") == 0  # fmt: skip
    assert app(paths, "musyawarah", "decide", meeting, citra["household_id"], "postpone") == 0
    capsys.readouterr()

    ba = tmp_path / "ba.pdf"
    assert app(paths, "musyawarah", "print", meeting, "--doc", "berita-acara", "--out",
               str(ba)) == 0  # fmt: skip
    assert ba.read_bytes().startswith(b"%PDF")
    printed_code = capsys.readouterr().out.split("verification ")[1].strip()
    assert app(paths, "musyawarah", "lock", meeting) == 0
    assert f"verification {printed_code}" in capsys.readouterr().out

    assert app(paths, "musyawarah", "list", "--json") == 0
    (listed_meeting,) = json.loads(capsys.readouterr().out)
    assert (listed_meeting["id"], listed_meeting["status"]) == (meeting, "locked")
    log_in_again(paths)
    assert stored.load(ani["household_id"])["status"] == "eligible"
    assert stored.load(budi["household_id"])["status"] == "not_poor"
    assert stored.load(citra["household_id"])["status"] == "registered"


def test_every_paper_is_written_and_an_existing_file_needs_force(home, tmp_path, capsys):
    paths, _families = home
    meeting = create(paths, capsys)
    for doc in ("undangan", "daftar-hadir", "pengumuman", "berita-acara"):
        out = tmp_path / f"{doc}.pdf"
        assert app(paths, "musyawarah", "print", meeting, "--doc", doc, "--out", str(out)) == 0
        assert out.read_bytes().startswith(b"%PDF")
    again = ["musyawarah", "print", meeting, "--doc", "undangan", "--out",
             str(tmp_path / "undangan.pdf")]  # fmt: skip
    assert app(paths, *again) == 2
    assert "--force" in capsys.readouterr().err
    assert app(paths, *again, "--force") == 0
    database = ["musyawarah", "print", meeting, "--doc", "undangan", "--out", str(paths.db)]
    assert app(paths, *database, "--force") == 2  # never over the database


def test_a_petugas_plans_but_may_not_decide_or_lock(home, capsys, monkeypatch):
    paths, (ani, _budi, _citra) = home
    meeting = create(paths, capsys)
    monkeypatch.setenv("LOKET_PASSWORD", OFFICER_PASSWORD)  # budi's, from here on
    assert app(paths, "musyawarah", "participant", meeting, "--name", "Siti", "--role", "psm",
               user="budi") == 0  # fmt: skip
    assert app(paths, "musyawarah", "decide", meeting, ani["household_id"], "eligible",
               user="budi") == 1  # fmt: skip
    assert "musyawarah.decide" in capsys.readouterr().err
    assert app(paths, "musyawarah", "lock", meeting, user="budi") == 1
    assert "musyawarah.lock" in capsys.readouterr().err


def test_refusals_are_one_line_and_name_no_one(home, capsys):
    paths, (ani, _budi, _citra) = home
    meeting = create(paths, capsys, "--rw", "1")
    assert app(paths, "musyawarah", "decide", meeting, ani["household_id"], "eligible") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "RW 1" in err and "Ani" not in err
    assert app(paths, "musyawarah", "decide", meeting, ani["household_id"], "not_poor") == 1
    assert app(paths, "musyawarah", "lock", meeting) == 1
    assert "no decisions" in capsys.readouterr().err
    assert app(paths, "musyawarah", "create", "--date", "7-12-2026", "--place", "Aula") == 1
    assert "YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit) as bad:
        app(paths, "musyawarah", "decide", meeting, ani["household_id"], "maybe")
    assert bad.value.code == 2
