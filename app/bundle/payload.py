"""Reading a bundle's payload (DESIGN §7): decrypt with age, decompress zstd, split NDJSON
records, all streaming and bounded (issue 15: a record's length, the records' count, the
decompressed size). Pure: no database, no Qt. The file around it (ZIP, manifest, signature,
writing) is app/bundle/file.py; its limits are read from there when a payload is read, so
a test or a caller that sets them is obeyed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pyrage
import zstandard

from app.bundle import file as bundle_file
from app.bundle.file import BundleError

SPLIT_AT = 256 * 1024  # decompressed bytes split into records at once


class RecordSink(io.RawIOBase):
    """Receives decrypted bytes, decompresses them and hands each NDJSON record on."""

    def __init__(
        self,
        on_record: Callable[[Any], None],
        limit: int,
        max_bytes: int,
        raw: bool = False,
    ):
        self.raw = raw  # hand on each line's bytes unparsed (the caller parses)
        self.decompressor = zstandard.ZstdDecompressor().decompressobj()
        self.on_record, self.limit, self.buffer, self.count = on_record, limit, b"", 0
        self.max_bytes, self.size = max_bytes, 0
        self.waiting: list[bytes] = []  # decompressed, not split into records yet
        self.waiting_size = 0
        self.error: BaseException | None = None

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:  # any bytes-like object; Buffer has no len()
        if self.error is not None:  # age may write again after a refusal: stay refused
            raise OSError("record rejected")
        if not data:
            return 0
        try:
            raw = bytes(data)
            for start in range(0, len(raw), bundle_file.ZSTD_SLICE):
                self._decompress(raw[start : start + bundle_file.ZSTD_SLICE])
            self._lines()
        except BaseException as exc:  # age's writer would turn it into an anonymous OSError
            self.error = exc
            raise OSError("record rejected") from None
        return len(data)

    def _decompress(self, compressed: bytes) -> None:
        """Decompress a slice of the payload (a small slice bounds what a bomb makes at once),
        and hand on the complete records once SPLIT_AT bytes are waiting."""
        if self.decompressor.eof:
            raise BundleError("payload", "the payload goes on after its end")
        out = self.decompressor.decompress(compressed)
        self.size += len(out)
        if self.size > self.max_bytes:
            raise BundleError(
                "size", f"the payload decompresses to more than {self.max_bytes // 1024**2} MB"
            )
        self.waiting.append(out)
        self.waiting_size += len(out)
        if self.waiting_size >= SPLIT_AT:
            self._lines()

    def _lines(self) -> None:
        """Hand on each complete record of what is waiting (split once, not per slice)."""
        if not self.waiting:
            return
        self.buffer = b"".join([self.buffer, *self.waiting])
        self.waiting, self.waiting_size = [], 0
        *lines, self.buffer = self.buffer.split(b"\n")
        if len(self.buffer) > bundle_file.MAX_RECORD:
            raise BundleError("payload", "a record in the payload is absurdly long")
        for line in lines:
            self.count += 1
            if self.count > self.limit:
                raise BundleError("payload", "the payload holds more than the manifest says")
            if self.raw:
                self.on_record(line)
                continue
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise BundleError("payload", f"record {self.count} is not JSON") from None
            self.on_record(record)


def read_records(
    path: Path,
    identity: str,
    on_record: Callable[[Any], None],
    limit: int,
    max_bytes: int | None = None,
    raw: bool = False,
) -> int:
    """Decrypt the payload with this installation's age identity and call `on_record` for each
    record, streaming. Raises what `on_record` raised, or BundleError (also when the payload
    decompresses to more than `max_bytes`, default MAX_UNCOMPRESSED). Returns the count.
    With `raw`, `on_record` gets each line's bytes, not parsed: the caller parses what it
    needs (a bundle import skips a household it holds already without parsing it, issue 20)."""
    limit_bytes = bundle_file.MAX_UNCOMPRESSED if max_bytes is None else max_bytes
    sink = RecordSink(on_record, limit, limit_bytes, raw)
    ident = pyrage.x25519.Identity.from_str(identity)
    try:
        with zipfile.ZipFile(path) as zf, zf.open(bundle_file.PAYLOAD) as src:
            pyrage.decrypt_io(src, sink, [ident])
    except Exception as exc:
        if sink.error is not None:
            raise sink.error from None
        raise BundleError("decrypt", f"the payload cannot be decrypted: {exc}") from None
    if sink.buffer:
        raise BundleError("payload", "the payload ends inside a record")
    return sink.count
