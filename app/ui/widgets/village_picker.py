"""First-start dialog: which kelurahan does this installation serve?

A searchable tree of Jakarta's 267 kelurahan grouped by kota and kecamatan.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def build_tree(villages) -> QStandardItemModel:
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Kota / Kecamatan / Kelurahan"])
    nodes: dict[str, QStandardItem] = {}
    for v in villages:
        city = nodes.get(v.city)
        if city is None:
            city = nodes[v.city] = QStandardItem(v.city)
            city.setSelectable(False)
            model.appendRow(city)
        key = f"{v.city}/{v.district}"
        district = nodes.get(key)
        if district is None:
            district = nodes[key] = QStandardItem(f"Kecamatan {v.district}")
            district.setSelectable(False)
            city.appendRow(district)
        item = QStandardItem(f"{v.name}  ({v.code})")
        item.setData(v.code, CODE_ROLE)
        district.appendRow(item)
    for item in nodes.values():
        item.setEditable(False)
    return model


class VillagePicker(QDialog):
    def __init__(self, villages, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Pilih kelurahan")
        self.resize(520, 600)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Ketik nama kelurahan, kecamatan, atau kota")
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(build_tree(villages))
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setAutoAcceptChildRows(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.doubleClicked.connect(lambda _i: self.accept() if self.selected_code() else None)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._accept_single_match)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Pilih")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Batal")
        # issue 19: a Dinas Sosial installation serves an area, not a kelurahan (the caller
        # asks which one when `wants_dinsos` is set)
        self.wants_dinsos = False
        dinsos = self.buttons.addButton(
            "&Dinas Sosial (provinsi / suku dinas)…", QDialogButtonBox.ButtonRole.ActionRole
        )
        dinsos.clicked.connect(self._choose_dinsos)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Instalasi ini melayani kelurahan mana? Pilihan ini disimpan."))
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        layout.addWidget(self.buttons)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()
        else:
            self.tree.collapseAll()
        leaves = self._leaves()
        if len(leaves) == 1:
            self.tree.setCurrentIndex(leaves[0])

    def _leaves(self):
        found, stack = [], [self.proxy.index(r, 0) for r in range(self.proxy.rowCount())]
        while stack:
            index = stack.pop()
            if index.data(CODE_ROLE):
                found.append(index)
            stack.extend(self.proxy.index(r, 0, index) for r in range(self.proxy.rowCount(index)))
        return found

    def _accept_single_match(self) -> None:
        leaves = self._leaves()
        if len(leaves) == 1:
            self.tree.setCurrentIndex(leaves[0])
            self.accept()
        else:
            self.tree.setFocus()

    def _choose_dinsos(self) -> None:
        self.wants_dinsos = True
        self.accept()

    def _try_accept(self) -> None:
        if self.selected_code():
            self.accept()

    def selected_code(self) -> str | None:
        return self.tree.currentIndex().data(CODE_ROLE)
