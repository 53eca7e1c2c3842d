"""Pure rules over a household document: no Qt, no database, no app imports."""
