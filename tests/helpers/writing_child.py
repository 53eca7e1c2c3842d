"""Child process for the kill -9 test: logs in to HOME and saves households as fast as it can,
printing each household id after its transaction committed, until it is killed."""

from __future__ import annotations

import sys

from app.core.document import new_member
from app.paths import resolve_paths
from app.services import auth, households
from tests.conftest import ADMIN, ADMIN_OFFICER, ADMIN_PASSWORD


def main(home: str) -> None:
    auth.log_in(resolve_paths(home=home), ADMIN, ADMIN_PASSWORD)
    number = 0
    while True:
        number += 1
        doc = households.new_household()
        doc["no_kk"] = f"317401010126{number % 10000:04d}"
        doc["members"] = [new_member(name=f"Warga {number}", relationship=1)]
        saved = households.save_household(doc, final=False, officer=ADMIN_OFFICER)
        print(saved["household_id"], flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
