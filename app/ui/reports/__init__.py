"""The *Laporan & ekspor* menu (issue 18): spreadsheet exports, recaps and working lists."""
