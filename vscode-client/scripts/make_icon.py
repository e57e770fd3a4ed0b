"""Draws images/icon.png (128x128): a dark rounded square with an "x" and a "y" whose stem is cut short,
the gap between what was asked and what was meant. Pure standard library, so it runs anywhere:
    python3 scripts/make_icon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

SIZE, SS = 128, 4  # pixels, supersamples per axis
BG, X_COLOUR, Y_COLOUR = (24, 39, 64), (236, 240, 245), (255, 184, 28)


def segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def in_rounded_square(px, py, margin=4, radius=24):
    lo, hi = margin + radius, SIZE - margin - radius
    qx, qy = max(lo - px, 0, px - hi), max(lo - py, 0, py - hi)
    return math.hypot(qx, qy) <= radius


X_STROKES = [(22, 38, 58, 90), (58, 38, 22, 90)]
Y_STROKES = [(70, 38, 88, 66), (106, 38, 88, 66), (88, 66, 88, 80)]  # the stem stops short of the baseline
Y_DOT = (88, 92)
WIDTH = 6.5


def colour_at(px, py):
    if not in_rounded_square(px, py):
        return None
    if any(segment_distance(px, py, *s) <= WIDTH for s in X_STROKES):
        return X_COLOUR
    if any(segment_distance(px, py, *s) <= WIDTH for s in Y_STROKES) or math.hypot(px - Y_DOT[0], py - Y_DOT[1]) <= WIDTH:
        return Y_COLOUR
    return BG


def render() -> bytes:
    rows = []
    for y in range(SIZE):
        row = bytearray([0])  # filter: none
        for x in range(SIZE):
            r = g = b = a = 0
            for sy in range(SS):
                for sx in range(SS):
                    c = colour_at(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)
                    if c is not None:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = SS * SS
            row += bytes([r // a, g // a, b // a, 255 * a // n] if a else [0, 0, 0, 0])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "images" / "icon.png"
    out.write_bytes(render())
    print(f"{out} ({out.stat().st_size} bytes)")
