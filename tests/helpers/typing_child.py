"""Child process for the crash test: opens the real app window on HOME, types a household,
waits for the autosave to reach the database, prints AUTOSAVED, then idles until killed."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.paths import resolve_paths  # noqa: E402
from app.services import auth  # noqa: E402
from app.ui.application import create_main_window  # noqa: E402
from tests.conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD  # noqa: E402


def main(home: str) -> None:
    app = QApplication(sys.argv)
    auth.log_in(resolve_paths(home=home), ADMIN, ADMIN_PASSWORD)  # made by set_up_home
    window = create_main_window(ADMIN_OFFICER)
    window.show()
    window.new_household()
    form = window.form
    QTest.keyClicks(form.fields["no_kk"], "3174010101260001")
    QTest.keyClicks(form.fields["address"], "Jl. Tebet Barat Dalam II No. 7")
    form.members.add_member()
    QTest.keyClicks(form.members.fields["nik"], "3174015708850003")
    QTest.keyClicks(form.members.fields["name"], "Dewi Lestari")

    def wait_for_autosave():
        if form.has_pending_edit or window.runner.pending:
            QTimer.singleShot(20, wait_for_autosave)
        else:
            print("AUTOSAVED", flush=True)

    QTimer.singleShot(0, wait_for_autosave)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
