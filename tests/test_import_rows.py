"""A bundle import's batch (issue 20): member rows are written in `households._insert_sql`'s
column order (`member_rows`); one batch mixing new, updated, conflicting and unchanged
households stores each as the sender sent it, keeps the conflict version and reads back
equal."""

from __future__ import annotations

from sync_support import Installation, edit, exchange, register

from app.db import bundle_log, conflicts
from app.db import households as rows
from app.services import households


def test_one_batch_of_new_updated_conflicting_and_unchanged_households(tmp_path):
    laptop, kelurahan = Installation(tmp_path, "laptop"), Installation(tmp_path, "kelurahan")
    exchange((laptop, kelurahan))
    with laptop:
        shared = [register(f"Warga {i}", address=f"Gg. Asli {i}")["household_id"]
                  for i in range(3)]  # fmt: skip
        first = laptop.export(kelurahan)
    with kelurahan:
        [report] = kelurahan.take(first)
        assert report.counts["new"] == 3
        local = edit(shared[1], address="Jl. Kelurahan 1")["rev"]  # edited on both sides
    updated, conflicting, unchanged = shared
    with laptop:
        edit(updated, address="Jl. Pindah 0")
        edit(conflicting, address="Jl. Laptop 1")
        new = register("Warga Baru", address="Gg. Baru 9")["household_id"]
        sent = {h: households.load_household(h) for h in (*shared, new)}
        bundle = laptop.export(kelurahan, full=True)
    with kelurahan:
        [report] = kelurahan.take(bundle)
        assert report.counts == {
            "new": 1, "updated": 1, "unchanged": 1, "conflict": 1, "rejected": 0
        }  # fmt: skip
        outcomes = {o[0]: o[2] for o in bundle_log.outcomes(report.bundle_id)}
        assert outcomes == {new: "new", updated: "updated", conflicting: "conflict",
                            unchanged: "unchanged"}  # fmt: skip
        for hid in (new, updated):  # stored as sent, members included, and read back equal
            assert households.load_household(hid) == sent[hid]
            assert rows.member_rows(rows.load(hid) or {}) == rows.member_rows(sent[hid])
        winner = households.load_household(conflicting)["rev"]
        kept = [v["rev"] for v in conflicts.heads([conflicting])[conflicting]]
        # one version wins, the other is kept for a supervisor
        assert sorted([winner, *kept]) == sorted([sent[conflicting]["rev"], local])
