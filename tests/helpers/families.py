"""Complete households for tests that save as final (issue 14): every field a final save may
require — address, RW, RT, each member's NIK, name, sex, birth date, relationship and marital
status, the head's (and a spouse's) mother's name, and every housing answer — is filled, so
the tests keep passing as completeness rules are added. `type_family` types the same family
into the form with the keyboard."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt

from app.core import codes
from app.core.document import Document, new_household, new_member

VILLAGE = "31.74.01.1001"


@dataclass(frozen=True)
class Person:
    nik: str
    name: str
    sex: int  # 1 Laki-laki, 2 Perempuan
    birth_date: str  # ISO; the NIK agrees with it and with the sex
    relationship: int  # 1 Kepala keluarga, 2 Istri/suami, 3 Anak
    marital_status: int  # 1 Belum kawin, 2 Kawin/nikah
    mother_name: str | None = None  # nama ibu kandung: a final save needs the head's, spouse's


@dataclass(frozen=True)
class Family:
    no_kk: str
    members: tuple[Person, ...]
    rw: int = 5
    rt: int = 12
    address: str = "Jl. Tebet Timur Dalam Raya No. 3"
    housing: dict = field(
        default_factory=lambda: {
            "tenure": 2,  # Kontrak/sewa
            "floor_area_m2": 24,
            "floor": 2,  # Keramik
            "wall": 1,  # Tembok
            "roof": 2,  # Genteng
            "drinking_water": 2,  # Air isi ulang
            "lighting": 1,  # Listrik PLN dengan meteran
            "power_va": [900],
            "cooking_fuel": 2,  # Elpiji 5,5 kg
            "toilet": 1,  # Ada, hanya anggota keluarga sendiri
            "sewage": 1,  # Tangki septik
        }
    )


HASANAH = Family(
    "3174012304150007",
    (
        Person("3174016705800004", "Nur Hasanah", 2, "1980-05-27", 1, 2, "Siti Rahmah"),
        Person("3174011203050001", "Rizky Pratama", 1, "2005-03-12", 3, 1),
    ),
)
LESTARI = Family(
    "3174010101260001",
    (
        Person("3174015708850003", "Dewi Lestari", 2, "1985-08-17", 1, 2, "Sumiati"),
        Person("3174011203100001", "Budi Santoso", 1, "2010-03-12", 3, 1),
    ),
    rw=3,
    rt=7,
    address="Jl. Tebet Barat Dalam II No. 7",
)


def household(family: Family = HASANAH, village: str = VILLAGE, **values) -> Document:
    """The family as a complete household document (a draft, not yet saved)."""
    doc = new_household(
        village, no_kk=family.no_kk, rw=family.rw, rt=family.rt, address=family.address
    )
    doc["housing"].update(family.housing)
    doc["members"] = [
        new_member(
            nik=p.nik,
            name=p.name,
            sex=p.sex,
            birth_place="Jakarta",
            birth_date=p.birth_date,
            relationship=p.relationship,
            marital_status=p.marital_status,
            mother_name=p.mother_name,
        )
        for p in family.members
    ]
    doc.update(values)
    return doc


def _choose(qtbot, combo, section: str, key: str, code) -> None:
    """Pick a code in a drop-down with the keyboard: typing its label (unless the form filled
    it already, as it does with sex from the NIK)."""
    combo.setFocus()
    label = dict(codes.choices(section, key))[code]
    if combo.value() != code:
        qtbot.keyClicks(combo, label)
    assert combo.value() == code, (key, label, combo.currentText())


def _type(qtbot, widget, text: str) -> None:
    widget.setFocus()
    widget.clear()
    qtbot.keyClicks(widget, text)


def type_family(qtbot, form, family: Family = HASANAH) -> None:
    """Type the family into the open (new) household form with the keyboard."""
    _type(qtbot, form.fields["no_kk"], family.no_kk)
    _type(qtbot, form.fields["rw"], str(family.rw))
    _type(qtbot, form.fields["rt"], str(family.rt))
    _type(qtbot, form.fields["address"], family.address)
    for key, value in family.housing.items():
        if key == "power_va":
            _choose(qtbot, form.fields["housing.power_va[0]"], "housing", key, value[0])
        elif key == "floor_area_m2":
            _type(qtbot, form.fields[f"housing.{key}"], str(value))
        else:
            _choose(qtbot, form.fields[f"housing.{key}"], "housing", key, value)
    members = form.members
    for person in family.members:
        form.fields["no_kk"].setFocus()
        qtbot.keyClick(form.fields["no_kk"], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(members.fields["nik"], person.nik)
        _type(qtbot, members.fields["name"], person.name)
        for key in ("sex", "relationship", "marital_status"):
            _choose(qtbot, members.fields[key], "members", key, getattr(person, key))
        _type(qtbot, members.fields["birth_place"], "Jakarta")
        _type(qtbot, members.fields["birth_date"], _dd_mm_yyyy(person.birth_date))
        if person.mother_name:
            _type(qtbot, members.fields["mother_name"], person.mother_name)


def _dd_mm_yyyy(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"
