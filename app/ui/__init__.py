"""PySide6 user interface. Holds no SQL and no rules: it calls app.services.households."""
