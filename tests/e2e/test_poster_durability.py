"""Posters on the embedded backend are durable like the tables: an uploaded poster's S3 objects go through
the journal, so the backend killed with SIGKILL and started again on its data still serves them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from services.catalog import posters
from services.catalog.posters import PosterStore
from services.platform.aws import connect
from services.platform.provisioning import provision
from services.settings import Settings
from tests.e2e.app_process import start_backend


def test_a_poster_survives_a_kill_of_the_embedded_backend(tmp_path: Path) -> None:
    data = tmp_path / "data"
    backend = start_backend(data)
    try:
        aws = connect(Settings(endpoint_url=backend.url, data_dir=data))
        provision(aws)  # tables, topic and the posters' bucket, as the app does on start
        buffer = io.BytesIO()
        Image.new("RGB", (500, 750), (10, 120, 80)).save(buffer, format="JPEG")
        stem = PosterStore(aws).store("durable-movie", buffer.getvalue())
        before = {size: PosterStore(aws).read(posters.poster_key(stem, size)).body for size in posters.SIZES}
    finally:
        backend.kill()  # SIGKILL: no snapshot on the way out, only what the journal holds
    again = start_backend(data)
    try:
        store = PosterStore(connect(Settings(endpoint_url=again.url, data_dir=data)))
        after = {size: store.read(posters.poster_key(stem, size)).body for size in posters.SIZES}
    finally:
        again.stop()
    assert after == before and all(Image.open(io.BytesIO(body)).format == "WEBP" for body in after.values())
