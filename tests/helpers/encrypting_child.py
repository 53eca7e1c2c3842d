"""Child process for the power-cut test of encrypting an earlier plain database: encrypts HOME
as its admin `siti` would at login, and kills itself (SIGKILL: nothing after runs, no `finally`,
no clean-up) the moment the step STEP starts:

- `key-file`: the encrypted copy is made and checked, no key file written yet;
- `swap`: the key file is written beside the copy, the database is still the plain file;
- `replace`: the plain file has its second name, the copy is about to replace it;
- `wipe`: the copy has replaced the database, the plain bytes are not zeroed yet;
- `adopt`: the database is encrypted, its key file is still beside the copy's name;
- `copies`: all that is done, the plain backups beside are not encrypted yet;

and, for a set-up (`auth.set_up` of `admin`: a new home, or a plain database without officers):

- `setup-open`: the key file is in place, the database not opened yet;
- `setup-admin`: the database is open (migrated), the admin's row not written yet.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from app.db import encryption, keystore
from app.paths import resolve_paths
from app.services import auth, legacy, session
from tests.conftest import ADMIN, ADMIN_PASSWORD, FAST_KDF


def die(*_args: object, **_kwargs: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main(home: str, step: str) -> None:
    paths = resolve_paths(home=home)
    if step == "key-file":
        keystore.create = die
    elif step == "swap":
        encryption.swap = die
    elif step == "replace":
        replace = os.replace

        def replace_then_die(source: object, target: object) -> None:
            if Path(str(target)) == paths.db:
                die()
            replace(source, target)  # type: ignore[arg-type]

        os.replace = replace_then_die
    elif step == "wipe":
        encryption._wipe = die
    elif step == "adopt":
        encryption.adopt_key_file = die
    elif step == "copies":
        legacy.encrypt_in_place = die
    elif step == "setup-open":
        session.open_home = die
    elif step == "setup-admin":
        auth._first_admin = die
    else:
        raise SystemExit(f"unknown step {step}")
    if step.startswith("setup-"):
        auth.set_up(paths, ADMIN, "Admin Kelurahan", ADMIN_PASSWORD, FAST_KDF)
    else:
        auth.encrypt_legacy(paths, "siti", ADMIN_PASSWORD, FAST_KDF)
    raise SystemExit("the step was never reached")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
