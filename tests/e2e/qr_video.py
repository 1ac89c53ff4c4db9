"""A Y4M video of a QR code, for Chromium's fake camera (``--use-file-for-fake-video-capture``): what a
phone's camera sees when a customer holds up their ticket."""

from __future__ import annotations

from pathlib import Path

import segno
from PIL import Image

WIDTH, HEIGHT, FRAMES = 640, 480, 10


def write_qr_video(token: str, path: Path) -> Path:
    """Frames of the ticket's QR code (as the ticket renders it) on a light, slightly grey background."""
    qr = segno.make_qr(token, error="m", boost_error=False)
    modules = int(qr.symbol_size(scale=1, border=4)[0])
    scale = max(1, (HEIGHT - 80) // modules)
    picture = Image.new("RGB", (WIDTH, HEIGHT), (225, 225, 220))
    code = Image.new("RGB", (modules, modules), "white")
    for y, row in enumerate(qr.matrix_iter(scale=1, border=4)):
        for x, dark in enumerate(row):
            if dark:
                code.putpixel((x, y), (0, 0, 0))
    code = code.resize((modules * scale, modules * scale), Image.Resampling.NEAREST)
    picture.paste(code, ((WIDTH - code.width) // 2, (HEIGHT - code.height) // 2))
    y_plane, u_plane, v_plane = picture.convert("YCbCr").split()
    size = (WIDTH // 2, HEIGHT // 2)  # 4:2:0: colour at half resolution
    frame = y_plane.tobytes() + u_plane.resize(size).tobytes() + v_plane.resize(size).tobytes()
    with path.open("wb") as file:
        file.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(FRAMES):
            file.write(b"FRAME\n" + frame)
    return path
