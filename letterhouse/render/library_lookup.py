"""Find WeasyPrint's system libraries from one reading of the linker's cache, not a few subprocesses per name.

WeasyPrint opens each library (Pango, HarfBuzz, fontconfig...) by trying its Windows, macOS and
Linux names in turn; cffi looks up every name it cannot open directly with ctypes.util.find_library,
which on Linux runs ldconfig, gcc and ld for each miss: about 50 subprocesses and a third of a second
before the first letter of every new process. Answered from one `ldconfig -p`, the same names are found.
"""

import contextlib
import ctypes.util
import re
import subprocess
import sys

LDCONFIG = ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")
SONAME = re.compile(r"^\s+(lib\S+)\s+\(", re.MULTILINE)


def cached_sonames():
    """Return every library file name the dynamic linker's cache lists, or None where it cannot be read."""
    for program in LDCONFIG:
        try:
            listing = subprocess.run([program, "-p"], capture_output=True, text=True, timeout=10, check=True,
                                     env={"LC_ALL": "C", "LANG": "C"}).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        return SONAME.findall(listing)
    return None


def finder(sonames):
    """Return a find_library that answers as ctypes.util's does on Linux, from these names alone."""
    def find_library(name):
        prefix = f"lib{name}."
        return next((soname for soname in sonames if soname.startswith(prefix)), None)

    return find_library


@contextlib.contextmanager
def quick_library_lookup():
    """Within the block, answer ctypes.util.find_library from the linker's cache (on Linux, when it can be read)."""
    sonames = cached_sonames() if sys.platform.startswith("linux") else None
    if not sonames:
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = finder(sonames)
    try:
        yield
    finally:
        ctypes.util.find_library = original
