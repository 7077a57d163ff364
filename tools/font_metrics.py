#!/usr/bin/env python3
"""Bake each face's metrics (x-height, ascent, descent) into its font.json (developer tool).

A render needs them to size fallback faces and to put baselines on the page's grid; measured at
start-up they cost every new process a few hundred milliseconds of opening fonts. Run this after
adding or rebuilding a face (tools/build_fonts.py writes them too); tests/test_speed.py fails when
a font.json's metrics do not match its font.

Usage (from the repository root)::

    .venv/bin/python tools/font_metrics.py           # rewrite every static/fonts/*/font.json
    .venv/bin/python tools/font_metrics.py --check   # exit 1 if any is missing or stale
"""

import argparse
import json
import sys
from pathlib import Path

from letterhouse.render.hands import STATIC_FONTS, font_metrics


def updated_info(info_path):
    """Return a font.json's contents with the metrics of its font."""
    info = json.loads(info_path.read_text(encoding="utf-8"))
    return {**info, "metrics": font_metrics(info_path.with_name(info["file"]))}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    stale = []
    for info_path in sorted(Path(STATIC_FONTS).glob("*/font.json")):
        info = updated_info(info_path)
        text = json.dumps(info, ensure_ascii=False, indent=2) + "\n"
        if info_path.read_text(encoding="utf-8") != text:
            stale.append(info_path)
            if not args.check:
                info_path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{path}: {'stale' if args.check else 'updated'}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
