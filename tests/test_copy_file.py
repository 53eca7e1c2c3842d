"""A database file copied byte for byte (app/db/copies.copy_file, issue 20): written straight
to the disk where the system takes direct writes (Linux's O_DIRECT), else through
shutil.copyfile; the same bytes either way, whatever the file's size, and a full disk is
still the error a caller turns into "Disk penuh"."""

from __future__ import annotations

import errno
import os
import random

import pytest

from app.db import copies

CHUNK = 64 * 1024  # a small chunk, so a few hundred KB cross several of them
SIZES = [0, 1, 4095, 4096, 3 * CHUNK, 3 * CHUNK + 100, 2 * CHUNK + 3 * 4096 + 17]


def _direct_writes_here(folder) -> bool:
    """Whether this system and the file system under `folder` take direct writes."""
    if not hasattr(os, "O_DIRECT"):
        return False
    try:
        fd = os.open(folder / "probe", os.O_WRONLY | os.O_CREAT | os.O_DIRECT, 0o600)
    except OSError:
        return False
    os.close(fd)
    return True


def _source(tmp_path, size: int):
    source = tmp_path / f"source-{size}.db"
    source.write_bytes(random.Random(size).randbytes(size))
    return source


@pytest.mark.parametrize("size", SIZES)
def test_the_copy_holds_the_same_bytes_written_directly(tmp_path, monkeypatch, size):
    if not _direct_writes_here(tmp_path):
        pytest.skip("no direct writes on this system or file system")
    monkeypatch.setattr(copies, "DIRECT_CHUNK", CHUNK)
    source, target = _source(tmp_path, size), tmp_path / "copy.db"
    assert copies._copied_direct(source, target)
    assert target.read_bytes() == source.read_bytes()


@pytest.mark.parametrize("size", SIZES)
def test_the_copy_holds_the_same_bytes_where_no_direct_writes_are_offered(
    tmp_path, monkeypatch, size
):
    monkeypatch.delattr(os, "O_DIRECT", raising=False)  # as on Windows
    source, target = _source(tmp_path, size), tmp_path / "copy.db"
    target.write_bytes(b"an older copy, longer than some sources" * 500)
    copies.copy_file(source, target)
    assert target.read_bytes() == source.read_bytes()


def test_direct_writes_refused_half_way_go_on_through_the_cache(tmp_path, monkeypatch):
    """A file system that opens a file for direct writes but refuses one (EINVAL): that chunk
    and the rest are written through the page cache, from where the refused one began."""
    if not _direct_writes_here(tmp_path):
        pytest.skip("no direct writes on this system or file system")
    monkeypatch.setattr(copies, "DIRECT_CHUNK", CHUNK)
    source, target = _source(tmp_path, 5 * CHUNK), tmp_path / "copy.db"
    write, calls = os.write, []

    def refusing_the_third(fd, data):
        calls.append(len(data))
        if len(calls) == 3:
            os.lseek(fd, 4096, os.SEEK_CUR)  # as if part of it went out before the refusal
            raise OSError(errno.EINVAL, "Invalid argument")
        return write(fd, data)

    monkeypatch.setattr(os, "write", refusing_the_third)
    copies.copy_file(source, target)
    assert target.read_bytes() == source.read_bytes() and len(calls) > 3


def test_a_full_disk_is_raised_as_it_is(tmp_path, monkeypatch):
    source, target = _source(tmp_path, 3 * CHUNK), tmp_path / "copy.db"
    monkeypatch.setattr(copies, "DIRECT_CHUNK", CHUNK)

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    monkeypatch.setattr(copies.shutil, "copyfile", lambda s, t: full(0, b""))
    with pytest.raises(OSError) as raised:
        copies.copy_file(source, target)
    assert raised.value.errno == errno.ENOSPC
