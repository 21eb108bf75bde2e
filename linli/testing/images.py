"""Image files for tests of the photo check and store (core.photos)."""

from __future__ import annotations

import io
import struct
import zlib


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header declares width × height pixels, with a few bytes of data (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_from_a_phone(size: tuple[int, int] = (48, 32), *, orientation: int = 1) -> bytes:
    """A JPEG as a phone takes it: its EXIF says the make, where it was taken (GPS) and how to turn it (6: turn 90°
    clockwise to show). A stored photo keeps none of it (core.photos.photo_to_store)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = orientation  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 27.0), "E", (116.0, 23.0, 50.0)
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buf, "JPEG", exif=exif)
    return buf.getvalue()
