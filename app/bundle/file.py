"""The bundle file (DESIGN §7, contract). Pure: no database, no Qt.

A bundle is a ZIP with three stored (uncompressed) entries:
- `payload.age`: NDJSON records, zstd-compressed, encrypted with age (X25519) to every
  recipient; the sender is always one of them;
- `manifest.json`: readable without keys (see `Manifest`), with the payload's size and SHA-256;
- `manifest.sig`: the sender's Ed25519 signature over the exact bytes of `manifest.json`.

The ZIP is written the same way every time, so a reader can check that the file is byte for
byte the one the sender wrote (`check_file`): a flipped byte anywhere, even in ZIP bookkeeping
that no checksum covers, is caught. Reading and writing stream: memory stays bounded whatever
the number of records.

Errors are `BundleError` with a one-line English message naming what is wrong; the sync
service turns them into Indonesian for the user.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from collections.abc import Buffer, Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson
import pyrage
import zstandard
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

FORMAT = "loket-dtks-bundle"
# 2: the payload may hold records besides household documents (a `record` key: officer table,
# meetings, signed decisions; issues 15 and 17); a reader of version 1 would refuse them.
# 3: attachment references may be tombstones (`deleted_at`, `deleted_by`) or a meeting's
# (`meeting_id`, the signed BA scan; issue 18); a reader of version 2 would take a deleted
# attachment as a live one. Versions 1 and 2 are still read.
FORMAT_VERSION = 3
HOUSEHOLDS, ACK = "households", "ack"  # the kinds of bundle (manifest `kind`)
PAYLOAD, MANIFEST, SIGNATURE = "payload.age", "manifest.json", "manifest.sig"
ENTRIES = (PAYLOAD, MANIFEST, SIGNATURE)  # in the order they are written
MAX_MANIFEST = 64 * 1024
MAX_PAYLOAD = 2**31 - 1  # no ZIP64: a bundle of 50,000 households is about 25 MB
# one record as a line of JSON: a household document, or an attachment's bytes in base64 (a
# scanned PDF of at most 10 MB is 13.4 MB; issue 18)
MAX_RECORD = 16 * 1024 * 1024
# The decompressed payload's bound (issue 15: a 407 kB bundle once grew a database by 2 GB);
# 50,000 households decompress to about 250 MB. `payload.read_records(max_bytes=)` may set another.
MAX_UNCOMPRESSED = 2 * 1024**3
# Compressed bytes fed to zstd at a time: zstd expands at most ~32,000-fold (an RLE block), so
# one call makes at most ~16 MB however the payload was crafted.
ZSTD_SLICE = 512
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_CHUNK = 64 * 1024
# Level 6 made a 50,000-household bundle 8% smaller and its export 1.3 s slower than DESIGN §7's
# level 3; level 1 makes it 2% larger (15.9 MB instead of 15.6) and 0.3 s faster (issue 20).
ZSTD_LEVEL = 1


class BundleError(ValueError):
    """A bundle that cannot be used; `reason` is a short code, the message says what is wrong."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Manifest:
    """`manifest.json`: what a bundle is, readable without keys."""

    raw: bytes  # the signed bytes
    fields: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.fields[key]

    @property
    def sender_fingerprint(self) -> str:
        fingerprint: str = self.fields["sender"]["fingerprint"]
        return fingerprint

    @property
    def digest(self) -> str:
        """SHA-256 of the manifest: names this bundle in the next one's `previous`."""
        return hashlib.sha256(self.raw).hexdigest()


# --- writing -----------------------------------------------------------------------------------


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3
    info.external_attr = 0o600 << 16
    return info


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream (so `zipfile` writes the same layout everywhere) that
    passes bytes on and can hash them."""

    def __init__(self, out: SupportsWrite[bytes] | None = None):
        self.out, self.sha, self.size = out, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: Buffer) -> int:
        data = bytes(data)
        if self.out is not None:
            self.out.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def _write_zip(
    out: SupportsWrite[bytes], write_payload: Callable[[IO[bytes]], None], tail: Callable[[], bytes]
) -> None:
    """The one layout of a bundle: the payload, then the manifest and its signature (the
    manifest holds the payload's hash, so `tail` gives `manifest + signature` afterwards)."""
    with zipfile.ZipFile(_Sink(out), "w", zipfile.ZIP_STORED) as zf:
        with zf.open(_entry(PAYLOAD), "w") as dest:
            write_payload(dest)
        signed = tail()
        zf.writestr(_entry(MANIFEST), signed[:-64])
        zf.writestr(_entry(SIGNATURE), signed[-64:])


class _ChunkReader(io.RawIOBase):
    """A readable stream over an iterator of byte chunks (feeds age's encryption)."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks, self.buffer = chunks, b""
        self.error: BaseException | None = None  # what the chunks raised (age wraps it)

    def readable(self) -> bool:
        return True

    # `target` is the writable buffer io hands in (a memoryview): typeshed's Buffer, the type of
    # the method overridden, has neither len() nor slicing.
    def readinto(self, target: Any) -> int:
        while not self.buffer:
            try:
                chunk = next(self.chunks, None)
            except BaseException as exc:
                self.error = exc
                raise
            if chunk is None:
                return 0
            self.buffer = chunk
        n = min(len(target), len(self.buffer))
        target[:n] = self.buffer[:n]
        self.buffer = self.buffer[n:]
        return n


def _compressed(records: Iterable[Any]) -> Iterator[bytes]:
    """The records as NDJSON, zstd-compressed in chunks; a record given as `bytes` is already
    one or more lines of JSON (documents made as JSON by SQLite, issue 20), without the last
    newline, and is written as it is."""
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
    pending: list[bytes] = []
    size = 0
    for record in records:
        if isinstance(record, bytes):
            pending += (record, b"\n")
            size += len(record) + 1
        else:
            pending.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            size += len(pending[-1])
        if size >= _CHUNK:
            yield compressor.compress(b"".join(pending))
            pending, size = [], 0
    yield compressor.compress(b"".join(pending))
    yield compressor.flush()


def write(
    path: Path,
    fields: dict[str, Any],
    records: Iterable[Any],
    signing_key: str,
    recipients: list[str],
) -> Manifest:
    """Write a bundle of `records` to `path` (atomically: a partial file never has the name).

    `fields` are the manifest's fields except the payload's, which are filled in here;
    `signing_key` is the sender's Ed25519 private key (hex); `recipients` are age recipients."""
    to = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    payload = _Sink()
    manifest: Manifest | None = None

    def write_payload(dest: IO[bytes]) -> None:
        payload.out = dest
        source = _ChunkReader(_compressed(records))
        try:
            pyrage.encrypt_io(source, payload, to)
        except pyrage.EncryptError:
            if source.error is not None:  # the records' own error (a full disk, a bad record)
                raise source.error from None
            raise

    def tail() -> bytes:
        nonlocal manifest
        body = {**fields, "payload": {"name": PAYLOAD, "bytes": payload.size,
                                      "sha256": payload.sha.hexdigest()}}  # fmt: skip
        raw = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
        manifest = Manifest(raw, body)
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(signing_key))
        return raw + key.sign(raw)

    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as out:
            _write_zip(out, write_payload, tail)
            out.flush()
            _fsync(out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    assert manifest is not None
    return manifest


def _fsync(out: IO[bytes]) -> None:
    os.fsync(out.fileno())


# --- reading -----------------------------------------------------------------------------------


def read_manifest(path: Path) -> tuple[Manifest, bytes]:
    """The manifest and its signature, after checking the ZIP's shape: exactly our three
    entries, stored, of sane sizes (no paths, no zip bombs) and a manifest we can read."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = [i.filename for i in infos]
            for name in names:
                if "/" in name or "\\" in name or ".." in name or name not in ENTRIES:
                    raise BundleError("layout", f"unexpected entry {name!r} in the bundle")
            if sorted(names) != sorted(ENTRIES):
                raise BundleError("layout", "the bundle lacks or repeats an entry")
            by_name = {i.filename: i for i in infos}
            for info in infos:
                if info.compress_type != zipfile.ZIP_STORED:
                    raise BundleError("layout", f"entry {info.filename} is compressed")
            if by_name[MANIFEST].file_size > MAX_MANIFEST or by_name[SIGNATURE].file_size != 64:
                raise BundleError("size", "the manifest or signature has an absurd size")
            if by_name[PAYLOAD].file_size > MAX_PAYLOAD:
                raise BundleError("size", "the payload has an absurd size")
            raw = zf.read(MANIFEST)
            signature = zf.read(SIGNATURE)
    except BundleError:
        raise
    except FileNotFoundError:
        raise BundleError("missing", f"there is no file {path}") from None
    except Exception as exc:  # zipfile raises many kinds on a damaged or truncated file
        raise BundleError(
            "damaged", f"not a complete bundle file (damaged or truncated: {exc})"
        ) from None
    try:
        fields = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BundleError("manifest", "the manifest is not JSON") from None
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise BundleError("manifest", "not a Loket DTKS bundle")
    version = fields.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BundleError(
            "version",
            f"bundle format version {version} is newer than this app reads ({FORMAT_VERSION});"
            " update Loket DTKS",
        )
    return Manifest(raw, fields), signature


def verify_signature(manifest: Manifest, signature: bytes, public_key: str) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            signature, manifest.raw
        )
    except InvalidSignature:
        raise BundleError("signature", "the manifest's signature is not valid") from None


def check_file(path: Path, manifest: Manifest, signature: bytes) -> None:
    """Check the payload's size and hash against the signed manifest, then that the whole file
    is byte for byte what the sender wrote."""
    payload = manifest["payload"]
    try:
        with zipfile.ZipFile(path) as zf:
            seen = _Sink()
            with zf.open(PAYLOAD) as src:
                while chunk := src.read(_CHUNK):
                    seen.write(chunk)
            if seen.size != payload["bytes"] or seen.sha.hexdigest() != payload["sha256"]:
                raise BundleError("payload", "the payload does not match the manifest")
            rebuilt = _Sink()

            def copy_payload(dest: IO[bytes]) -> None:
                with zf.open(PAYLOAD) as src:
                    while chunk := src.read(_CHUNK):
                        dest.write(chunk)

            _write_zip(rebuilt, copy_payload, lambda: manifest.raw + signature)
    except BundleError:
        raise
    except Exception as exc:  # zipfile raises many kinds on a damaged file
        raise BundleError("damaged", f"the bundle is damaged ({exc})") from None
    actual = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            actual.update(chunk)
    if actual.hexdigest() != rebuilt.sha.hexdigest():
        raise BundleError("damaged", "the bundle file was altered after it was written")
