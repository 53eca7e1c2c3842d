"""Take the README's screenshots of the real window at the size of a kelurahan PC (a 1366×768
screen: a maximised window has about 1366×700), run under Xvfb:

xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py [OUT_DIR]

docs/screenshots/list.png (the list with demo data) and form.png (a household opened
read-only from the list) by default.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.paths import resolve_paths  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.ui.application import create_main_window  # noqa: E402
from app.ui.runner import Runner  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZE = (1366, 700)  # the window maximised on a 1366×768 screen
# a demo home only: never a password of a real installation
DEMO_USER, DEMO_NAME, DEMO_PASSWORD = "siti", "Siti Aminah", "Contoh-Layar-Loket-2026"


def save(widget: QWidget, path: Path) -> None:
    """The widget as drawn, at the PNG's highest compression (a reduced palette would shift
    the UI's colours: Qt's 256-colour conversion has a fixed palette)."""
    widget.grab().save(str(path), "PNG", 0)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv)
    paths = resolve_paths(home=tempfile.mkdtemp(prefix="loket-shots-"))
    paths.ensure()
    officer, _recovery = auth.set_up(paths, DEMO_USER, DEMO_NAME, DEMO_PASSWORD)
    load_demo(500, seed=2, officer=officer)
    window = create_main_window(officer, Runner(synchronous=True), paths)
    window.resize(*SIZE)
    window.show()

    def form() -> None:
        save(window, out / "list.png")
        model = window.model
        excluded = next(
            r
            for r in range(model.rowCount())
            if str(model.index(r, 7).data()).startswith("Dikecualikan")
        )
        window.open_household(model.household_id(excluded))  # read-only, as from the list
        window.form.members.focus_field(1, "name")
        QTimer.singleShot(300, finish)

    def finish() -> None:
        save(window, out / "form.png")
        window.close()
        app.quit()

    QTimer.singleShot(500, form)
    app.exec()


if __name__ == "__main__":
    main()
