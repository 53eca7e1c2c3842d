"""What we tell residents about their personal data (UU PDP 27/2022): the short notice on every
receipt and the sections of the one-page notice for the counter (app/receipts/notice.py).
The wording lives here only."""

from __future__ import annotations

LEGAL_BASIS = (
    "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi",
    "UU No. 13 Tahun 2011 tentang Penanganan Fakir Miskin",
    "Permensos No. 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial",
    "Ingub Sekda DKI Jakarta No. 54 Tahun 2021 (kriteria FMOTM)",
    "Inpres No. 4 Tahun 2025 tentang Data Tunggal Sosial dan Ekonomi Nasional (DTSEN)",
)


def short_notice(kelurahan: str) -> str:
    return (
        "Data keluarga Anda dipakai hanya untuk pendaftaran DTKS dan program bantuan sosial "
        "pemerintah, dilindungi UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi, dan "
        "hanya dapat dilihat petugas yang berwenang. Untuk melihat, memperbaiki atau menanyakan "
        f"data Anda, datang ke loket DTKS Kelurahan {kelurahan} dengan tanda terima ini."
    )


def notice_sections(kelurahan: str) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) of the counter's privacy notice."""
    return [
        (
            "Data apa yang kami catat",
            [
                "Identitas setiap anggota keluarga (NIK, nama, tempat dan tanggal lahir, jenis "
                "kelamin, hubungan dalam keluarga), nomor KK, alamat dan nomor telepon; "
                "pendidikan, pekerjaan dan jabatan; keadaan rumah dan aset keluarga (termasuk "
                "NJOP tanah dan bangunan).",
                "Juga data pribadi yang bersifat spesifik: disabilitas, penyakit kronis, "
                "kehamilan, dan data anak. Data ini dijaga lebih ketat dan hanya tampil pada "
                "layar isian anggota keluarga.",
            ],
        ),
        (
            "Dasar hukum",
            [
                "Pendaftaran DTKS adalah tugas pelayanan publik pemerintah menurut:",
                *(f"• {law}" for law in LEGAL_BASIS),
            ],
        ),
        (
            "Untuk apa data dipakai",
            [
                "Menilai apakah keluarga dapat diusulkan ke DTKS, membahasnya dalam musyawarah "
                "kelurahan, mencocokkannya dengan data Dukcapil dan Bapenda, lalu menyalurkan "
                "program bantuan sosial (antara lain KLJ, KPDJ, KAJ, KJP Plus, KJMU, PKH, BPNT). "
                "Data tidak dijual dan tidak dipakai untuk keperluan lain.",
            ],
        ),
        (
            "Siapa yang dapat melihatnya",
            [
                "Petugas kelurahan dan pendamping sosial yang berwenang, masing-masing dengan "
                "akun dan kata sandinya sendiri; supervisor kelurahan; Dinas Sosial Provinsi DKI "
                "Jakarta dan Kementerian Sosial (SIKS-NG); Dukcapil dan Bapenda untuk pemadanan. "
                "Setiap kali data dibuka, diubah, dicetak atau dikirim, hal itu tercatat dalam "
                "log audit yang tidak dapat diubah.",
            ],
        ),
        (
            "Bagaimana dan berapa lama disimpan",
            [
                "Data disimpan terenkripsi di komputer kelurahan, dengan cadangan yang juga "
                "terenkripsi. Data disimpan selama keluarga tercatat dalam DTKS/DTSEN dan "
                "sesudahnya selama diwajibkan oleh ketentuan kearsipan pemerintah. Nomor NIK "
                "disamarkan pada daftar, log dan tanda terima.",
            ],
        ),
        (
            "Hak Anda",
            [
                "Anda berhak mengetahui data apa yang kami simpan dan mendapat salinannya, "
                "meminta data yang keliru diperbaiki, meminta penjelasan tentang hasil "
                "pemeriksaan, mengajukan keberatan, dan meminta data dihapus bila tidak lagi "
                "diperlukan sepanjang tidak bertentangan dengan kewajiban hukum. Anda juga dapat "
                "mengadu bila data Anda disalahgunakan.",
            ],
        ),
        (
            "Kepada siapa bertanya",
            [
                f"Loket DTKS Kantor Kelurahan {kelurahan} pada jam kerja: petugas pendaftaran "
                "atau supervisor kelurahan. Bawa KTP/KK dan tanda terima pendaftaran Anda.",
            ],
        ),
    ]
