"""What each role may do and what each audit entry is called: one table of actions (issue 13).

Every user action in `app.services` takes the acting `Officer` and calls `require` before it
changes or shows anything, so the rule holds whichever window or command calls it; the UI may
also hide what a role cannot do, but the service decides. The audit log's actions and their
Indonesian labels (for the audit screen) are listed here too, so a new action is one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import UserError

ROLES = {
    "petugas": "Petugas kelurahan",
    "pendamping": "Pendamping sosial",
    "supervisor": "Supervisor kelurahan",
    "admin": "Administrator",
}

# action -> (the roles that may do it, its Indonesian label). Admin may do everything.
ROLE_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "household.register": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Mendaftarkan dan mengubah data keluarga",
    ),
    "household.view": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Membuka data keluarga",
    ),
    "receipt.print": (frozenset({"petugas", "supervisor"}), "Mencetak tanda terima"),
    "musyawarah.decide": (frozenset({"supervisor"}), "Mencatat hasil musyawarah kelurahan"),
    "musyawarah.plan": (
        frozenset({"petugas", "supervisor"}),
        "Menyiapkan musyawarah kelurahan (jadwal, peserta, agenda, undangan)",
    ),
    "musyawarah.lock": (frozenset({"supervisor"}), "Mengunci hasil musyawarah kelurahan"),
    "exclusion.override": (frozenset({"supervisor"}), "Mengabaikan kriteria pengecualian"),
    "conflict.resolve": (frozenset({"supervisor"}), "Menyelesaikan konflik data"),
    "household.delete": (frozenset({"supervisor"}), "Menghapus data keluarga"),
    "household.withdraw": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Membatalkan pendaftaran yang dibuatnya sendiri hari ini",
    ),
    "household.withdraw.any": (
        frozenset({"supervisor"}),
        "Membatalkan pendaftaran oleh petugas lain atau dari hari sebelumnya",
    ),
    "household.reinstate": (frozenset({"supervisor"}), "Memulihkan pendaftaran yang dibatalkan"),
    "duplicate.accept": (
        frozenset({"supervisor"}),
        "Memutuskan data ganda (tetap mendaftarkan atau menggabungkan)",
    ),
    "matching.record": (frozenset({"supervisor"}), "Mencatat hasil pemadanan"),
    "bundle.export": (frozenset({"pendamping", "supervisor"}), "Mengirim paket sinkronisasi"),
    "bundle.import": (frozenset({"pendamping", "supervisor"}), "Menerima paket sinkronisasi"),
    "officer.manage": (frozenset({"supervisor"}), "Mengelola petugas"),
    "backup.create": (frozenset({"supervisor"}), "Membuat cadangan"),
    "backup.restore": (frozenset({"supervisor"}), "Memulihkan cadangan"),
    "installation.configure": (frozenset({"supervisor"}), "Mengatur kelurahan loket ini"),
    "audit.view": (frozenset({"supervisor"}), "Melihat log audit"),
    "peer.trust": (frozenset({"supervisor"}), "Mempercayai kunci mitra"),
    "database.rekey": (frozenset(), "Mengganti kunci basis data"),
    # A plain spreadsheet of NIKs and names leaves the encrypted database: the officer
    # accountable for the daftar usulan makes it (issue 18, app/services/exports.py).
    "export.personal": (frozenset({"supervisor"}), "Mengekspor daftar berisi data pribadi"),
    # Counts only (no names, no NIK): every role that works with households may print them.
    "report.recap": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Melihat dan mencetak rekap",
    ),
    # Names and addresses for field visits: the roles that may open a household.
    "report.worklist": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Mencetak daftar kerja (kunjungan lapangan, draf lama)",
    ),
    "attachment.add": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Menambah lampiran (pindaian KTP/KK, foto rumah, BA)",
    ),
    "attachment.view": (
        frozenset({"petugas", "pendamping", "supervisor"}),
        "Melihat dan menyimpan lampiran",
    ),
    "attachment.delete": (frozenset({"supervisor"}), "Menghapus lampiran"),
    # Counts per kelurahan (no names, no NIK), on a Dinsos installation only (issue 19).
    "dinsos.overview": (frozenset({"supervisor"}), "Melihat ikhtisar kelurahan (Dinas Sosial)"),
    # Dinsos's matching results for many households at once (issue 19, DESIGN §11).
    "pemadanan.import": (frozenset({"supervisor"}), "Mengimpor hasil pemadanan Dukcapil/Bapenda"),
    # Dinsos' news on households: target list, SIKS-NG outcomes, ID DTKS, duplicate notices.
    "dinsos.status": (
        frozenset({"supervisor"}),
        "Mencatat kabar Dinsos (daftar sasaran tetap, hasil SIKS-NG, ID DTKS)",
    ),
    # Daftar sasaran tetap per kota: draft, lock, penetapan PDF (issue 19).
    "target_list.manage": (
        frozenset({"supervisor"}),
        "Menetapkan daftar sasaran tetap per kota (Dinas Sosial)",
    ),
    # Masked NIK / No. KK and registration numbers held in two kelurahan (issue 19): more than
    # the overview's counts, so its own action (app/services/cross_duplicates.py).
    "duplicates.cross": (
        frozenset({"supervisor"}),
        "Melihat data ganda antar kelurahan (Dinas Sosial)",
    ),
}

# Every action the audit log records, with the label the audit screen shows.
AUDIT_LABELS = {
    "setup": "Penyiapan loket",
    "login": "Masuk",
    "login.failed": "Gagal masuk",
    "database.encrypt": "Enkripsi basis data",
    "database.encrypt.failed": "Salinan lama tak terenkripsi (rusak)",
    "officer.create": "Tambah petugas",
    "officer.reset_password": "Atur ulang kata sandi",
    "officer.recover": "Kata sandi baru dengan kunci pemulihan",
    "officer.deactivate": "Nonaktifkan petugas",
    "officer.reactivate": "Aktifkan kembali petugas",
    "database.rekey": "Ganti kunci basis data",
    "officer.roster_sign": "Tanda tangan daftar petugas",
    "officer.roster_invalid": "Daftar petugas diubah di luar aplikasi",
    "officer.roster_restore": "Daftar petugas dikembalikan sesuai tanda tangan",
    "household.save": "Simpan data keluarga",
    "household.view": "Buka data keluarga",
    "household.import": "Impor data keluarga",
    "household.delete": "Hapus data keluarga",
    "household.withdraw": "Batalkan pendaftaran",
    "household.reinstate": "Pulihkan pendaftaran",
    "duplicate.accept": "Tetap daftarkan walau data ganda",
    "duplicate.merge": "Gabungkan data ganda",
    "receipt.print": "Cetak tanda terima",
    "musyawarah.plan": "Rencanakan musyawarah kelurahan",
    "musyawarah.print": "Cetak dokumen musyawarah kelurahan",
    "musyawarah.lock": "Kunci hasil musyawarah kelurahan",
    "conflict.resolve": "Selesaikan konflik data",
    "peer.trust": "Percayai kunci mitra",
    "bundle.export.households": "Kirim paket data keluarga",
    "bundle.export.ack": "Kirim konfirmasi penerimaan",
    "bundle.import.households": "Terima paket data keluarga",
    "bundle.import.ack": "Terima konfirmasi penerimaan",
    "backup.create": "Buat cadangan",
    "backup.restore": "Pulihkan cadangan",
    "installation.village": "Pilih kelurahan loket",
    "installation.dinsos": "Siapkan loket Dinas Sosial",
    "demo.load": "Muat data demo",
    "audit.warning.acknowledge": "Tandai peringatan log audit mitra",
    "export.personal": "Ekspor daftar (data pribadi)",
    "report.recap": "Cetak rekap",
    "report.worklist": "Cetak daftar kerja",
    "attachment.add": "Tambah lampiran",
    "attachment.export": "Simpan lampiran ke berkas",
    "attachment.delete": "Hapus lampiran",
    "pemadanan.import": "Impor hasil pemadanan",
    "result_profile.saved": "Simpan profil kolom hasil (pemadanan/SIKS-NG)",
    "dinsos.status": "Catat kabar Dinsos pada keluarga",
    "target_list.lock": "Tetapkan (kunci) daftar sasaran tetap",
    "target_list.print": "Simpan/cetak penetapan daftar sasaran tetap",
    "status.check": "Cek status di loket",
}


class AuthError(UserError):
    """A login refused, or an action the officer's role may not do."""


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: str

    def may(self, action: str) -> bool:
        return may(self.role, action)


def may(role: str, action: str) -> bool:
    if role == "admin":
        return action in ROLE_ACTIONS
    roles, _label = ROLE_ACTIONS[action]
    return role in roles


def require(officer: Officer | None, action: str) -> Officer:
    """The officer, when its role may do `action`; else AuthError (nothing is done)."""
    if officer is None or not officer.may(action):
        who = "Anda belum masuk" if officer is None else f"Peran {ROLES[officer.role]}"
        label = ROLE_ACTIONS[action][1].lower() if action in ROLE_ACTIONS else action
        raise AuthError(f"{who}: tidak berwenang {label} ({action}).")
    return officer


def audit_label(action: str) -> str:
    return AUDIT_LABELS.get(action, action)
