"""How strong a new password must be (issue 15). Part of the service layer (`auth` calls it).

At least `MIN_LENGTH` characters, and zxcvbn (Dropbox's estimator, the Python port pinned in
pyproject.toml) must rate it `MIN_SCORE` or better, with the officer's user name, full name, the
kelurahan and the words of this app given as context, so "budi-santoso-2026" or
"loket-tebet-1" is refused although long (separators are also taken out before estimating:
zxcvbn rates each one as a guessed run of its own).

Why score 3 (about 10^8 guesses; 4 is 10^10): online guessing is throttled (the delay after
failures) and audited, so the real threat is an offline attack on a copied key file. There each
guess costs one argon2id (64 MiB, t=3): about 7 guesses a second on a 4-core laptop, so 10^8
guesses are months of one machine's time, and a score-3 password is typically far from the
first guess. Score 4 would refuse most passwords an officer can remember without writing it on
the laptop, which is worse.

The refusal says why in Indonesian (one sentence per kind of weakness zxcvbn found), never the
password itself.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from zxcvbn import zxcvbn  # type: ignore[import-untyped]

from app.services.actions import AuthError

MIN_LENGTH = 10
MIN_SCORE = 3
MIN_REST = 6  # characters left once the context words are taken out
MAX_ESTIMATED = 72  # zxcvbn refuses longer input; a prefix is no stronger than the whole
# Words an attacker of this app tries first (zxcvbn's lists are English; they already hold
# the common Indonesian passwords from leaks, like "rahasia", "sayang", "bismillah").
APP_WORDS = (
    "loket",
    "dtks",
    "loketdtks",
    "dinsos",
    "kemensos",
    "bansos",
    "kelurahan",
    "kecamatan",
    "petugas",
    "pendamping",
    "supervisor",
    "admin",
    "administrator",
    "katasandi",
    "sandi",
    "jakarta",
    "dki",
)
ADVICE = "Pakai tiga atau empat kata acak yang tidak umum, minimal 10 karakter."

_REASONS = {
    "user_inputs": "memuat nama pengguna, nama petugas, nama kelurahan atau nama aplikasi",
    "passwords": "sama atau mirip dengan kata sandi yang sangat umum",
    "names": "nama orang mudah ditebak",
    "words": "satu atau dua kata umum mudah ditebak",
    "spatial": "deretan tombol papan ketik mudah ditebak",
    "repeat": 'pengulangan seperti "aaa" atau "abcabc" mudah ditebak',
    "sequence": 'urutan seperti "abcd" atau "6543" mudah ditebak',
    "date": "tanggal dan tahun mudah ditebak",
    "other": "terlalu mudah ditebak",
}
_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary


def context_words(*values: str | None) -> list[str]:
    """Each value whole, its words, and its words run together (lower case)."""
    words: list[str] = []
    for value in values:
        if not value:
            continue
        parts = [p for p in re.split(r"[^0-9a-z]+", value.lower()) if p]
        words += [value.lower(), "".join(parts), *parts]
    return [w for w in dict.fromkeys(words) if len(w) >= 2]


def check_new_password(password: str, context: Iterable[str | None] = ()) -> None:
    """AuthError (Indonesian, saying why) when `password` is too short or too easy to guess
    for someone who knows `context` (user name, full name, kelurahan)."""
    if len(password) < MIN_LENGTH:
        raise AuthError(
            f"Kata sandi minimal {MIN_LENGTH} karakter.", f"password under {MIN_LENGTH} characters"
        )
    inputs = [*context_words(*context), *APP_WORDS]
    # zxcvbn counts each separator as a guessed run of its own, so "budi-santoso-2026" rates
    # strong; the form without separators ("budisantoso2026") does not. The weaker one counts.
    squeezed = re.sub(r"[^0-9A-Za-z]+", "", password)
    forms = [password] + ([squeezed] if squeezed and squeezed != password else [])
    with _lock:
        results = [zxcvbn(form[:MAX_ESTIMATED], user_inputs=inputs) for form in forms]
    result = min(results, key=lambda r: int(r["score"]))
    score = int(result["score"])
    if _mostly_context(squeezed.lower(), inputs):
        raise AuthError(
            f"Kata sandi terlalu mudah ditebak: {_REASONS['user_inputs']}. {ADVICE}",
            "password too weak (mostly context words)",
        )
    if score < MIN_SCORE:
        kind = _weakness(result["sequence"])
        raise AuthError(
            f"Kata sandi terlalu mudah ditebak: {_REASONS[kind]}. {ADVICE}",
            f"password too weak (zxcvbn score {score} < {MIN_SCORE}: {kind})",
        )


def _mostly_context(squeezed: str, inputs: list[str]) -> bool:
    """Less than `MIN_REST` characters are left once the context words (of 3 letters or more)
    are taken out: zxcvbn rates any three parts at score 3 at least ("loket-tebet-1")."""
    for word in sorted({w for w in inputs if len(w) >= 3 and w.isalnum()}, key=len, reverse=True):
        squeezed = squeezed.replace(word, "")
    return len(squeezed) < MIN_REST


def _weakness(sequence: list[dict[str, Any]]) -> str:
    """The kind of weakness to name: context words first (the officer should know that the
    name does not help), then common passwords, then the longest part zxcvbn matched."""
    kinds = [_kind(match) for match in sequence]
    for first in ("user_inputs", "passwords"):
        if first in kinds:
            return first
    matched = [(len(m["token"]), k) for m, k in zip(sequence, kinds, strict=True) if k != "other"]
    return max(matched)[1] if matched else "other"


def _kind(match: dict[str, Any]) -> str:
    pattern = match.get("pattern")
    if pattern == "dictionary":
        name = match.get("dictionary_name")
        if name in ("user_inputs", "passwords"):
            return str(name)
        return "names" if name in ("surnames", "male_names", "female_names") else "words"
    if pattern in ("spatial", "repeat", "sequence", "date"):
        return str(pattern)
    if pattern == "regex":
        return "date"  # zxcvbn's only regex: recent years
    return "other"
