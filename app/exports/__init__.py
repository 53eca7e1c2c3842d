"""Spreadsheet files of export rows (issue 18): XLSX (XlsxWriter) and CSV. Pure writers: they
take a profile (app/core/export_profiles.py) and its rows and return the file's bytes; which
households, who may, the audit entry and where the file goes are app/services/exports.py."""
