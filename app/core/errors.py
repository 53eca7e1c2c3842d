"""The one error a user can act on (issue 13).

Every refusal the user should read is a `UserError` (or a subclass named for where it arises:
a login, a bundle, a document). `str()` is the Indonesian message for the window; `detail` is
the English text for the command line and for support (the message when none is given);
`exit_code` is what the command line exits with. The UI shows them through one function
(app/ui/errors.py), the CLI prints one line (app/cli/main.py); anything else is a bug, written
to the log file in the home (app/logs.py) and shown as a generic message.

It lives in `core` so that every layer may raise it: a wrong database key (db), a document
that is not a household (core) and a role that may not (services) reach the user the same way.
"""

from __future__ import annotations

EXIT_FAILED, EXIT_BAD_INPUT = 1, 2


class UserError(Exception):
    """A refusal with a message for the user; nothing was changed."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.detail = message if detail is None else detail
