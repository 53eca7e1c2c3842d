"""Whether a meeting may decide a household (issue 17): the one check behind
`musyawarah.decide`, `decide_many` and locking (app/services/musyawarah.py,
musyawarah_lock.py). One line, naming no one, per refusal."""

from __future__ import annotations

from app.core import musyawarah as words
from app.db import meetings
from app.db.meetings import Meeting


def decidable(meeting: Meeting, household_id: str) -> tuple[str, str] | None:
    """Why the meeting may not decide the household ((Indonesian, English)), or None."""
    state = meetings.household_state(household_id)
    if state is None or state.deleted:
        return ("Keluarga tidak ditemukan atau sudah dihapus.", "no such household (or deleted)")
    if state.village_code != meeting.village_code:
        return (
            "Keluarga ini terdaftar di kelurahan lain; tidak dapat diputuskan dalam "
            "musyawarah kelurahan ini.",
            "the household belongs to another kelurahan",
        )
    if meeting.rw is not None and state.rw != meeting.rw:
        return (
            f"Musyawarah ini hanya untuk RW {meeting.rw}; keluarga ini dari RW lain.",
            f"this meeting is for RW {meeting.rw} only",
        )
    if state.status == "withdrawn":
        return (
            "Pendaftaran keluarga ini sudah dibatalkan (ditarik); tidak dapat diputuskan.",
            "the household is withdrawn",
        )
    if state.status == words.EXCLUDED_STATUS:
        return (
            "Keluarga ini memenuhi kriteria pengecualian dan tidak dapat diusulkan; di agenda "
            "hanya sebagai informasi.",
            "the household has an exclusion and cannot be proposed",
        )
    if state.status == "draft":
        return ("Keluarga ini masih draf; simpan final dahulu.", "the household is a draft")
    correcting = meeting.corrects is not None and state.decided_in == meeting.corrects
    if state.decision is not None and not correcting:
        return (
            "Keluarga ini sudah diputuskan dalam musyawarah sebelumnya; perubahan dibuat "
            "sebagai koreksi (musyawarah baru).",
            "the household was decided by an earlier meeting",
        )
    if state.status not in words.PROPOSABLE_STATUSES and not correcting:
        return (
            "Status keluarga ini tidak dapat diputuskan dalam musyawarah.",
            f"a household with status {state.status} cannot be decided",
        )
    if meetings.open_meetings_deciding(household_id, meeting.id):
        return (
            "Keluarga ini sudah diputuskan dalam musyawarah lain yang belum dikunci.",
            "another open meeting holds a decision for this household",
        )
    return None
