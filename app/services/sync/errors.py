"""Why a bundle is refused or an export cannot be made: `SyncError`, Indonesian for the user
and English for the CLI and support."""

from __future__ import annotations

from app.bundle.file import BundleError
from app.core.errors import UserError

MESSAGES = {  # BundleError.reason -> what the user reads
    "missing": "Berkas paket tidak ditemukan.",
    "damaged": "Berkas paket rusak atau terpotong (mungkin penyalinan ke USB belum selesai). "
    "Minta pengirim membuat dan mengirim ulang paketnya.",
    "layout": "Berkas ini bukan paket Loket DTKS yang sah (isinya tidak seperti paket).",
    "size": "Berkas paket berisi bagian dengan ukuran tidak wajar; ditolak demi keamanan.",
    "manifest": "Berkas ini bukan paket Loket DTKS.",
    "version": "Paket ini dibuat oleh versi Loket DTKS yang lebih baru. "
    "Perbarui aplikasi terlebih dahulu.",
    "signature": "Tanda tangan paket tidak sah: manifes paket diubah setelah ditandatangani.",
    "payload": "Isi paket tidak cocok dengan manifesnya (diubah atau tertukar dengan paket lain).",
    "decrypt": "Isi paket tidak dapat dibuka dengan kunci loket ini.",
    "unknown_sender": "Pengirim paket belum dipercaya (sidik jari {fingerprint}). "
    "Supervisor perlu mempercayai kunci publik pengirim terlebih dahulu.",
    "recipient": "Paket ini ditujukan untuk instalasi lain, bukan untuk loket ini.",
    "own": "Paket ini dibuat oleh loket ini sendiri; tidak ada yang perlu diimpor.",
    "schema": "Ada data keluarga yang tidak valid di dalam paket; seluruh paket ditolak.",
    "attachment": "Ada lampiran yang rusak atau tidak cocok di dalam paket; seluruh paket ditolak.",
    "clash": "Paket bertabrakan dengan data di loket ini; seluruh paket ditolak.",
    "reader": "Paket tidak terbaca sampai selesai karena proses pembacanya berhenti. "
    "Tidak ada data yang berubah; silakan impor ulang.",
    "sequence": "Nomor urut paket melompat terlalu jauh dari paket terakhir pengirim ini; "
    "paket ditolak. Minta pengirim membuat paket lengkap.",
}


class SyncError(UserError):
    """A bundle refused or an export that cannot be made. `str()` is Indonesian, for the UI;
    `detail` says exactly what was wrong, in English, for the CLI and for support."""

    def __init__(self, message: str, detail: str, reason: str = ""):
        super().__init__(message, detail)
        self.reason = reason


def refused(exc: BundleError, **values: str) -> SyncError:
    return SyncError(MESSAGES[exc.reason].format(**values), str(exc), exc.reason)
