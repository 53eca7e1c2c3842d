"""Take the README's screenshots of the real window (run under Xvfb):

xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.paths import resolve_paths  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.ui.application import create_main_window  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    app = QApplication(sys.argv)
    paths = resolve_paths(home=tempfile.mkdtemp(prefix="loket-shots-"))
    officer, _recovery = auth.set_up(paths, "siti", "Siti Aminah", "contoh-sandi")
    load_demo(500, seed=2, officer=officer)
    window = create_main_window(officer, paths=paths)
    window.resize(1366, 768)
    window.show()

    def form() -> None:
        window.grab().save(str(OUT / "list.png"))
        model = window.model
        excluded = next(
            r
            for r in range(model.rowCount())
            if model.index(r, 7).data() == "Tidak dapat diusulkan"
        )
        window.open_household(model.household_id(excluded))
        members = window.form.members
        members.focus_field(1, "name")
        QTimer.singleShot(300, finish)

    def finish() -> None:
        window.grab().save(str(OUT / "form.png"))
        app.quit()

    QTimer.singleShot(500, form)
    app.exec()


if __name__ == "__main__":
    main()
