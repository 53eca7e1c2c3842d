"""`python -m app --self-test` (and `loket-dtks --self-test` when frozen): proves a build works.

In a temporary home, offscreen: set up an encrypted database, open the main window, register
a household through the services, check it with the rules, render and record its receipt,
verify the audit log, then set up a second installation, exchange keys, and carry the household
over in a sync bundle (read by a decoder process, as a large bundle is). Prints one line per
step; exit 0 when all pass, 1 at the first failure.
"""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path


def run() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.core.document import new_member
    from app.paths import resolve_paths
    from app.services import audit as audit_service
    from app.services import auth, checks, households, installation
    from app.services import receipts as receipt_service
    from app.services.sync import decoder
    from app.services.sync import imports as bundles
    from app.services.sync import keys as service
    from app.services.sync.export import export_bundle
    from app.ui.application import show_main_window

    state: dict = {}

    password = "kapal-layar-senja-9"

    def set_up() -> str:
        paths = resolve_paths(home=state["home"])
        state["officer"], _ = auth.set_up(paths, "selftest", "Uji Mandiri", password)
        installation.set_village("31.74.01.1001", state["officer"])
        state["paths"] = paths
        return str(paths.db)

    def window() -> str:
        win = show_main_window(state["officer"], state["paths"])
        state["window"] = win
        return win.windowTitle()

    def household() -> str:
        doc = households.new_household()
        doc.update(no_kk="3174010101260001", rw=5, rt=3, address="Jl. Tebet Timur Dalam II No. 5")
        doc["housing"].update(
            tenure=1,
            floor=2,
            wall=1,
            roof=2,
            drinking_water=3,
            lighting=1,
            cooking_fuel=4,
            toilet=1,
        )
        doc["members"] = [
            new_member(
                nik="3174015708850003",
                name="Dewi Lestari",
                sex=2,
                birth_date="1985-08-17",
                mother_name="Sumiati",  # schema v2: a final save needs the head's
                relationship=1,
                marital_status=2,
            )
        ]
        doc["assets"]["car"] = True
        state["doc"] = households.save_household(doc, final=True, officer=state["officer"])
        return state["doc"]["registration_number"]

    def check() -> str:
        evaluation = checks.evaluate(state["doc"])
        assert evaluation.exclusions == ["car"], evaluation.exclusions
        return "car exclusion found"

    def receipt() -> str:
        prepared = receipt_service.prepare_receipt(state["doc"]["household_id"], state["officer"])
        assert prepared.pdf.startswith(b"%PDF"), "not a PDF"
        receipt_service.issue_receipt(prepared, state["officer"])
        return f"{len(prepared.pdf):,} bytes"

    def audit() -> str:
        count, problem = audit_service.verify(state["officer"])
        assert problem is None, problem
        return f"{count} entries intact"

    def bundle() -> str:
        state.pop("window").close()
        first = state["paths"]
        own = service.own_public_key()
        auth.log_out()
        peer = resolve_paths(home=os.path.join(state["home"], "peer"))
        officer, _ = auth.set_up(peer, "selftest", "Uji Mandiri", password)
        installation.set_village("31.74.01.1001", officer)
        service.trust_peer(own, "asal", officer)
        peer_key = service.own_public_key()
        auth.log_out()
        officer = auth.log_in(first, "selftest", password)
        service.trust_peer(peer_key, "tujuan", officer)
        path = Path(state["home"]) / "uji.bundle"
        export_bundle("tujuan", path, officer)
        auth.log_out()
        officer = auth.log_in(peer, "selftest", password)
        decoder.CHILD_FROM = 0  # read in a child process, as a large bundle is (issue 20)
        [report] = bundles.import_bundles(peer, [path], officer)
        assert isinstance(report, bundles.ImportReport), report
        assert report.counts["new"] == 1, report.counts
        assert households.load_household(state["doc"]["household_id"])["members"]
        return f"{path.stat().st_size:,} bytes, 1 household taken in by a decoder process"

    steps: list[tuple[str, Callable[[], str]]] = [
        ("set up an encrypted home", set_up),
        ("open the main window", window),
        ("register a household", household),
        ("check it", check),
        ("render and record its receipt", receipt),
        ("verify the audit log", audit),
        ("carry it to another installation in a bundle", bundle),
    ]
    with tempfile.TemporaryDirectory(prefix="loket-selftest-") as home:
        state["home"] = home
        try:
            for name, step in steps:
                try:
                    print(f"ok   {name}: {step()}", flush=True)
                except Exception:
                    print(f"FAIL {name}", flush=True)
                    traceback.print_exc()
                    return 1
        finally:
            if "window" in state:
                state["window"].close()
            auth.log_out()
    print("self-test passed", flush=True)
    return 0
