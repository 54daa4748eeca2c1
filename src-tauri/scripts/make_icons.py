#!/usr/bin/env python3
"""Writes Paform's icon set (src-tauri/icons/*.png) with the standard library only: a teal
tile with three stacked 'modules' (white bars), as RGBA PNGs. Run from anywhere."""
import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons")
TEAL = (17, 122, 120, 255)
WHITE = (245, 247, 246, 255)
CLEAR = (0, 0, 0, 0)


def pixel(x, y, size):
    # Rounded tile: transparent outside a radius of 18% at the corners.
    radius = size * 0.18
    cx = min(max(x + 0.5, radius), size - radius)
    cy = min(max(y + 0.5, radius), size - radius)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > radius ** 2:
        return CLEAR
    u, v = x / size, y / size
    # Three shelves of a cabinet, like catalog modules.
    for top in (0.22, 0.44, 0.66):
        if 0.2 <= u <= 0.8 and top <= v <= top + 0.12:
            return WHITE
    return TEAL


def png(size):
    rows = b"".join(
        b"\x00" + b"".join(bytes(pixel(x, y, size)) for x in range(size)) for y in range(size)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


os.makedirs(HERE, exist_ok=True)
for name, size in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
    with open(os.path.join(HERE, name), "wb") as out:
        out.write(png(size))
    print("wrote", name)
