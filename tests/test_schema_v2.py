"""Household schema v2 (issue 18): the mother's name, occupation, ID DTKS and presence of each
member, the household's ID DTKS and house photo flag. A version 1 document (a file, a bundle
from an older installation, a database row from before migration 16) is read as version 2
with the new answers empty, and its revision still verifies, here and one hop further; a
version 3 document is refused with "perbarui aplikasi"; a final save needs the mother's name
of the head and the spouse only."""

from __future__ import annotations

import hashlib
import json

import orjson
import pytest
from conftest import ADMIN_OFFICER, set_up_home
from helpers.families import LESTARI, household
from helpers.households import complete, head
from playhouse.sqlcipher_ext import SqlCipherDatabase
from sync_support import Installation, exchange

from app import rules
from app.core import document, upgrade
from app.core.document import DocumentError, new_member
from app.core.errors import UserError
from app.core.revisions import EMPTY_OPTIONAL, verify_revision
from app.db import canonical, open_database
from app.db import households as rows
from app.db.connection import close_db, sqlcipher_key
from app.db.migrations import LATEST, migrate
from app.services import households, installation
from app.services.sync import export as exporting
from app.services.sync.errors import SyncError

KEY = bytes(range(32))
MOTHER_REQUIRED = "Nama ibu kandung belum diisi"


def v1_hash(doc: dict, parent: str) -> str:
    """The revision hash exactly as version 1 of the app computed it (no upgrade involved)."""
    body = {
        k: v
        for k, v in doc.items()
        if k not in ("rev", "revs") and (k not in EMPTY_OPTIONAL or v != EMPTY_OPTIONAL[k])
    }
    digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS))
    digest.update(parent.encode())
    return digest.hexdigest()[:32]


def as_v1(doc: dict, generations: int = 1) -> dict:
    """`doc` as an older installation holds and sends it: version 1 keys only, with a history
    of `generations` revisions, each hashed the version 1 way (the address changes in each)."""
    v1 = {k: v for k, v in doc.items() if k not in ("dtks_id", "house_photo")}
    v1["schema_version"] = 1
    v1["musyawarah"] = {"decision": None, "date": None, "minutes_number": None}
    v1["members"] = [
        {k: v for k, v in m.items() if k not in upgrade.NEW_MEMBER} for m in doc["members"]
    ]
    rev, revs = "", []
    for generation in range(1, generations + 1):
        v1["address"] = f"Jl. Tebet Timur Dalam Raya No. {generation}"
        rev = f"{generation}-{v1_hash(v1, rev)}"
        revs.insert(0, rev)
    return {**v1, "rev": rev, "revs": revs}


def test_a_v1_document_is_upgraded_with_the_new_answers_empty():
    v1 = as_v1(household())
    before = json.dumps(v1, sort_keys=True)
    v2 = upgrade.upgrade(v1)
    assert json.dumps(v1, sort_keys=True) == before  # the input is not changed
    assert v2["schema_version"] == 2 and document.validate(v2) is v2
    assert (v2["dtks_id"], v2["house_photo"]) == (None, False)
    assert v2["musyawarah"] == document.MANAGED["musyawarah"]
    assert [{k: m[k] for k in upgrade.NEW_MEMBER} for m in v2["members"]] == [
        upgrade.NEW_MEMBER
    ] * 2
    with pytest.raises(DocumentError, match="invalid household document"):
        document.validate(v1)  # the stored schema is strict: v1 only through the upgrade
    # its revision, hashed by version 1 over version 1 content, still verifies once upgraded
    assert verify_revision(v1) is None and verify_revision(v2) is None
    two = upgrade.upgrade(as_v1(household(), generations=2))
    assert two["rev"].startswith("2-") and verify_revision(two) is None
    # a version 2 field filled is content: the old revision no longer matches it
    two["members"][0]["mother_name"] = "Siti Rahmah"
    assert "does not match" in (verify_revision(two) or "")


def test_a_v1_file_is_read_as_v2_and_lacks_the_head_s_mother_name():
    doc = document.parse(orjson.dumps(as_v1(household())))
    assert doc["schema_version"] == 2 and doc["members"][0]["mother_name"] is None
    errors = rules.evaluate(doc).of_kind("error")
    assert [f.message for f in errors] == [f"Anggota 1: {MOTHER_REQUIRED}"]


@pytest.mark.parametrize("version", [3, 99])
def test_a_newer_document_is_refused_perbarui_aplikasi(version):
    doc = {**household(), "schema_version": version, "from_the_future": True}
    with pytest.raises(document.NewerDocumentError, match="perbarui aplikasi"):
        document.parse(orjson.dumps(doc))
    assert upgrade.upgrade(doc) is doc  # not touched: refused as it came


def test_mother_name_is_required_for_head_and_spouse_only_on_final(store):
    spouse = new_member(nik="3174011402780003", name="Ahmad Fauzi", relationship=2)
    child = new_member(name="Rizky Pratama", relationship=3, marital_status=1)
    doc = complete(document.new_household("31.74.01.1001", members=[head(), spouse, child]))
    assert not rules.evaluate(doc).of_kind("error")  # the helper filled head and spouse only
    assert doc["members"][2]["mother_name"] is None  # a child's is not needed
    for i in (0, 1):
        doc["members"][i]["mother_name"] = None
    errors = [f.message for f in rules.evaluate(doc).of_kind("error")]
    assert errors == [f"Anggota 1: {MOTHER_REQUIRED}", f"Anggota 2: {MOTHER_REQUIRED}"]
    with pytest.raises(UserError, match=MOTHER_REQUIRED):
        households.save_household(doc, final=True, officer=ADMIN_OFFICER)
    saved = households.save_household(doc, final=False, officer=ADMIN_OFFICER)
    assert saved["status"] == "draft"  # a draft may lack it
    doc = households.load_household(doc["household_id"])
    doc["members"][0]["mother_name"] = "Siti Rahmah"
    doc["members"][1]["mother_name"] = "Romlah"
    assert households.save_household(doc, final=True, officer=ADMIN_OFFICER)["status"] == (
        "registered"
    )


def test_the_new_fields_are_stored_and_read_back(store):
    doc = household(dtks_id="3174010001234567", house_photo=True)
    doc["members"][0].update(
        mother_name="Siti Rahmah", occupation="Pedagang sayur", dtks_id="DT-0001", presence="new"
    )
    installation.set_dinsos(None, ADMIN_OFFICER)  # the household's ID DTKS is Dinsos' field
    households.save_household(doc, final=True, officer=ADMIN_OFFICER)
    stored = households.load_household(doc["household_id"])
    assert (stored["dtks_id"], stored["house_photo"]) == ("3174010001234567", True)
    member = stored["members"][0]
    assert (member["mother_name"], member["occupation"], member["dtks_id"], member["presence"]) == (
        "Siti Rahmah",
        "Pedagang sayur",
        "DT-0001",
        "new",
    )
    assert verify_revision(stored) is None  # hashed as version 2: its new fields are content


@pytest.fixture
def trio(tmp_path):
    old, kelurahan, dinsos = (Installation(tmp_path, n) for n in ("laptop", "kelurahan", "dinsos"))
    exchange((old, kelurahan), (kelurahan, dinsos))
    return old, kelurahan, dinsos


def _as_older_installation(monkeypatch, version: int = 1) -> None:
    """Make this installation's next export what an older one sends: manifest schema 1, each
    household as version 1 with version 1 revisions (or, `version` 3, a newer one)."""
    read = canonical.changed_since  # export streams the JSON SQLite writes (issue 20)

    def older(since, upto, batch=500):
        for found in read(since, upto, batch):
            for one in found.each():
                doc = orjson.loads(one.json)
                if version == 1:
                    doc = as_v1(doc, generations=2)
                else:
                    doc = {**doc, "schema_version": version}
                yield canonical.Documents(one.ids, [doc["rev"]], orjson.dumps(doc))

    monkeypatch.setattr(exporting.canonical, "changed_since", older)
    monkeypatch.setattr(exporting, "SCHEMA_VERSION", 1)


def test_a_v1_bundle_from_an_older_installation_is_imported_upgraded_and_sent_on(trio, monkeypatch):
    old, kelurahan, dinsos = trio
    with old:
        hid = households.save_household(household(), final=False, officer=old.officer)
        hid = hid["household_id"]
        with monkeypatch.context() as patch:
            _as_older_installation(patch)
            bundle = old.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts["new"] == 1, report.rejected
        stored = households.load_household(hid)
        assert stored["schema_version"] == 2 and stored["rev"].startswith("2-")
        assert stored["members"][0]["mother_name"] is None and stored["dtks_id"] is None
        assert stored["address"] == "Jl. Tebet Timur Dalam Raya No. 2"
        assert verify_revision(stored) is None
        onward = kelurahan.export(dinsos)
    with dinsos:  # the stored, upgraded version still verifies one hop further
        [report] = dinsos.take(onward)
        assert report.counts["new"] == 1, report.rejected
        assert households.load_household(hid)["rev"] == stored["rev"]


def test_a_v3_household_in_a_bundle_is_refused_perbarui_aplikasi(trio, monkeypatch):
    old, kelurahan, _dinsos = trio
    with old:
        hid = households.save_household(household(), final=False, officer=old.officer)
        with monkeypatch.context() as patch:
            _as_older_installation(patch, version=3)
            bundle = old.export(kelurahan)
    with kelurahan:
        with pytest.raises(SyncError, match="Perbarui aplikasi") as refused:
            kelurahan.take(bundle)
        assert "newer household schema" in refused.value.detail
        assert not rows.exists(hid["household_id"])


def _v15_database(path, doc: dict) -> None:
    """A database as the app left it before schema v2 (migration 15), holding `doc` (v1)."""
    db = SqlCipherDatabase(str(path), passphrase=sqlcipher_key(KEY))
    db.connect()
    migrate(db, path, upto=15)
    later = {*upgrade.NEW_HOUSEHOLD, "dinsos_events"}  # columns of migrations after 15
    cols = [c for c in rows.HOUSEHOLD_COLUMNS if c not in later]
    values = [
        orjson.dumps(doc.get(c, EMPTY_OPTIONAL.get(c))).decode() if c in rows.JSON_COLUMNS
        else doc[c]
        for c in cols
    ]  # fmt: skip
    db.execute_sql(
        f"INSERT INTO household (id, {', '.join(cols)}) VALUES (?{', ?' * len(cols)})",
        [doc["household_id"], *values],
    )
    fields = [f for f in rows.member_fields() if f not in upgrade.NEW_MEMBER]
    for position, m in enumerate(doc["members"]):
        db.execute_sql(
            f"INSERT INTO member (id, household_id, position, {', '.join(fields)})"
            f" VALUES (?, ?, ?{', ?' * len(fields)})",
            [m["member_id"], doc["household_id"], position, *(m[f] for f in fields)],
        )
    db.close()


def test_migration_16_keeps_existing_rows_and_reads_them_as_v2(tmp_path):
    path = tmp_path / "loket.db"
    v1 = as_v1(household(), generations=2)
    _v15_database(path, v1)
    try:
        open_database(path, KEY)
        doc = rows.load(v1["household_id"])
        assert doc == upgrade.upgrade(v1)  # every answer kept, the new ones empty
        assert document.validate(doc) is doc and verify_revision(doc) is None
        assert LATEST >= 16
    finally:
        close_db()


def test_the_form_takes_the_new_fields_by_keyboard_and_saves_them(qtbot, window):
    from helpers.families import HASANAH, type_family
    from PySide6.QtCore import Qt

    window.new_household()
    form, members = window.form, window.form.members
    type_family(qtbot, form, HASANAH)  # types the head's mother's name (helpers/families.py)
    members.table.selectRow(0)
    for widget, text in (
        (members.fields["occupation"], "Pedagang sayur"),
        (members.fields["dtks_id"], "DT-0001"),
        (form.fields["dtks_id"], "3174010001234567"),  # Dinsos' field: read-only here
    ):
        widget.setFocus()
        qtbot.keyClicks(widget, text)
    members.fields["presence"].setFocus()
    qtbot.keyClicks(members.fields["presence"], "Tinggal")
    # Tab passes over the mother's name of a child (only the head's and spouse's are needed)
    members.table.selectRow(1)
    members.fields["marital_status"].setFocus()
    qtbot.keyClick(members.fields["marital_status"], Qt.Key.Key_Tab)
    assert members.fields["mother_name"].hasFocus() is False
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = households.load_household(form.household_id())
    assert saved["status"] == "registered", window.save_state.text()
    assert saved["dtks_id"] is None and form.fields["dtks_id"].isReadOnly()  # tests/test_outcomes
    head_saved, child = saved["members"]
    assert (head_saved["mother_name"], head_saved["occupation"]) == (
        "Siti Rahmah",
        "Pedagang sayur",
    )
    assert (head_saved["dtks_id"], head_saved["presence"]) == ("DT-0001", "present")
    assert child["mother_name"] is None


def test_the_cli_household_add_and_show_round_trip_the_new_fields(tmp_path):
    from test_cli import VILLAGE, out, run, write

    from app.paths import resolve_paths
    from app.services import auth

    paths = resolve_paths(home=tmp_path / "home")
    set_up_home(paths, VILLAGE)
    auth.log_out()
    doc = household(village=VILLAGE, house_photo=True)  # the household's ID DTKS: Dinsos'
    doc["members"][0].update(occupation="Ojek daring", dtks_id="DT-0001", presence="present")
    doc["members"][1].update(mother_name="Nur Hasanah", presence="moved")
    out(run(paths.home, "household", "add", str(write(tmp_path / "v2.json", doc))))
    shown = orjson.loads(out(run(paths.home, "household", "show", doc["household_id"])))
    assert (shown["dtks_id"], shown["house_photo"]) == (None, True)
    assert shown["members"] == doc["members"]
    # a version 1 file is added as version 2
    v1 = as_v1(household(LESTARI, village=VILLAGE))
    out(run(paths.home, "household", "add", str(write(tmp_path / "v1.json", v1))))
    shown = orjson.loads(out(run(paths.home, "household", "show", v1["household_id"])))
    assert shown["schema_version"] == 2 and shown["members"][0]["mother_name"] is None
