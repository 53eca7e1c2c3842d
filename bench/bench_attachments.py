"""Benchmark (run by hand): attachments (issue 18), photos stored encrypted in the database.

    .venv/bin/python bench/bench_attachments.py [--count 300] [--megapixels 12]

Sets up a temporary encrypted home with 100 draft households and adds `count` synthetic phone
photos (4:3, `megapixels`, camera-like JPEG at quality 90 of a scene with smooth shading,
mid-size texture and sensor noise: each photo different, none compresses away) through
`attachments.add_attachment`, three per household. Prints the input and stored size per photo,
the database's growth, the projection for 1,000 households x 3 photos (target: < ~300 MB) and
the time per add (decode, shrink to 1600 px, JPEG, store, audit). Photo generation is not timed.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402

from app.core.document import new_member  # noqa: E402
from app.db.keystore import KdfParams  # noqa: E402
from app.paths import resolve_paths  # noqa: E402
from app.services import attachments, auth, households, installation  # noqa: E402

CHEAP_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)  # set-up only, not timed
KINDS = ("house-front", "house-inside", "ktp")
MB = 1024 * 1024


def photo(megapixels: float, seed: int) -> bytes:
    """A synthetic phone photo of a house: walls, roof and door as shaded blocks with edges,
    a mid-size texture (plaster, leaves) and sensor grain, saved as a camera would (q 90)."""
    rng = random.Random(seed)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    scene = Image.new("RGB", (width, height), (rng.randrange(90, 200),) * 3)
    draw = ImageDraw.Draw(scene)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randrange(width // 20, width // 2), rng.randrange(height // 20, height // 2)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + w, y + h), fill=colour, outline=(20, 20, 20), width=6)
    texture = Image.effect_noise((width // 24, height // 24), 50).resize(
        (width, height), Image.Resampling.BICUBIC
    )
    grain = Image.effect_noise((width, height), 40)
    light = Image.merge("RGB", [Image.blend(texture, grain, 0.3)] * 3)
    out = io.BytesIO()
    Image.blend(scene, light, 0.35).save(out, "JPEG", quality=90)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--megapixels", type=float, default=12.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(home=Path(tmp) / "home")
        officer, _ = auth.set_up(
            paths, "admin", "Admin Kelurahan", "jeruk-nipis-kuning-7", CHEAP_KDF
        )
        installation.set_village("31.74.01.1001", officer)
        ids = []
        for i in range(args.count // 3 + 1):
            doc = households.new_household()
            doc["no_kk"] = f"317401010126{i:04d}"
            doc["members"] = [new_member(name=f"Kepala {i}", relationship=1)]
            ids.append(households.save_household(doc, final=False, officer=officer)["household_id"])
        auth.log_out()  # checkpoints the WAL into the database file
        officer = auth.log_in(paths, "admin", "jeruk-nipis-kuning-7")
        size_before = sum(f.stat().st_size for f in paths.home.glob("loket.db*"))

        inputs, stored, times = [], [], []
        for n in range(args.count):
            data = photo(args.megapixels, n)
            start = time.perf_counter()
            added = attachments.add_attachment(ids[n // 3], data, KINDS[n % 3], officer)
            times.append(time.perf_counter() - start)
            inputs.append(len(data))
            stored.append(added.size)
        auth.log_out()  # checkpoints the WAL into the database file
        size_after = sum(f.stat().st_size for f in paths.home.glob("loket.db*"))

    per_photo = statistics.mean(stored) / MB
    growth = (size_after - size_before) / MB
    times.sort()
    print(f"{args.count} photos of {args.megapixels:g} MP")
    print(f"  input:  {statistics.mean(inputs) / MB:.2f} MB per photo (camera JPEG, q 90)")
    print(
        f"  stored: {per_photo:.3f} MB per photo (1600 px JPEG q 80, lower within 100 kB; no EXIF)"
    )
    print(f"  database grew {growth:.1f} MB ({growth / args.count:.3f} MB per photo)")
    print(f"  projection 1,000 households x 3 photos: {growth / args.count * 3000:.0f} MB")
    print(
        f"  add: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms per photo"
    )


if __name__ == "__main__":
    main()
