"""HTML -> PDF: the only module that talks to WeasyPrint, with one warm renderer per process."""

import atexit
import contextlib
import ctypes
import gc
import logging
import mimetypes
import signal
import threading
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from letterhouse.config import STATIC_ROOT
from letterhouse.render.library_lookup import quick_library_lookup

with quick_library_lookup():  # WeasyPrint opens Pango and HarfBuzz as it is imported
    import pydyf
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

from letterhouse.letters.problems import LetterRefused
from letterhouse.render.hands import registry_css
from letterhouse.render.stationery import page_css

LOGGER = logging.getLogger(__name__)
LETTER_CSS_KEPT = 256  # letters' own stylesheets kept parsed (a hand and a signature hand make one)
ARCHIVAL_PDF = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}  # PDF/A-3b, tagged for screen readers


def harfbuzz_subsetter_available():
    """Return whether WeasyPrint found HarfBuzz's subsetter (several times faster than fontTools)."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset  # noqa: PLC0415 -- WeasyPrint's internals, asked once

    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def warn_if_slow_subsetting():
    """Log loudly, once, when fonts will be subset by the slow fontTools fallback."""
    if not harfbuzz_subsetter_available():
        LOGGER.warning("HarfBuzz's subsetter (libharfbuzz-subset0) was not found: every PDF will be "
                       "several times slower. Install it (see README) and restart.")


class FetchRefused(ValueError):
    """WeasyPrint asked for something outside our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serve our own static/ files to WeasyPrint and refuse every other URL."""

    def __init__(self, root=STATIC_ROOT):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        path = self.local_path(url)
        if path is None:
            LOGGER.warning("Refused to fetch %r: only Letterhouse's static files may be used", url)
            raise FetchRefused(url)
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})

    def local_path(self, url):
        """Return the file under static/ that a file: URL names, or None."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or parts.query:
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            return None
        return path


class LetterTooLong(LetterRefused):
    """A letter too long to print: past the page limit (or, see LetterTooSlow, the time limit)."""

    def __init__(self, pages, limit):
        super().__init__(f"This letter would run to {pages} pages; the limit is {limit}.")
        self.pages, self.limit = pages, limit


class LetterTooSlow(LetterTooLong):
    """A letter that took longer than the time limit to lay out."""

    def __init__(self, seconds):
        ValueError.__init__(self, f"This letter took more than {seconds:g} seconds to write out; "
                                  "please shorten it.")
        self.pages, self.limit = None, seconds


def time_limit(seconds):
    """Raise LetterTooSlow if the block runs longer than `seconds`, on any thread.

    On a process's main thread (the CLI, batch workers, gunicorn's sync workers) SIGALRM
    interrupts the block; on any other thread (gunicorn's gthread workers) a watchdog does.
    Either way the block stops at its next Python instruction, so a long call into C
    (Pango shaping one huge word) finishes first.
    """
    if not seconds:
        return contextlib.nullcontext()
    if threading.current_thread() is threading.main_thread():
        return alarm_limit(seconds)
    return Watchdog(seconds)  # itself the context manager: no layer between the block and its exit


@contextlib.contextmanager
def alarm_limit(seconds):
    """Raise LetterTooSlow in the main thread after `seconds`, by SIGALRM."""
    def expire(signum, frame):
        raise LetterTooSlow(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class OutOfTime(BaseException):
    """Raised into a rendering thread by its Watchdog; a BaseException so no `except Exception` swallows it."""


class Watchdog:
    """A timer that raises OutOfTime in the thread that armed it, turned into LetterTooSlow on the way out."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.thread_id = threading.get_ident()
        self.state = threading.Lock()
        self.armed = self.fired = False
        # A polling thread, not threading.Timer: a timed wait on a condition never wakes under
        # libfaketime (tests on another day), while sleep and the monotonic clock keep going.
        self.timer = threading.Thread(target=self.watch, daemon=True)

    def __enter__(self):
        try:
            self.armed = True
            self.timer.start()
        except OutOfTime:  # a tiny limit can run out before the timer has even said it started
            self.__exit__(OutOfTime, None, None)
        return self

    def watch(self):
        deadline = time.monotonic() + self.seconds
        while self.armed and time.monotonic() < deadline:
            time.sleep(min(0.05, max(deadline - time.monotonic(), 0)))
        self.expire()

    def expire(self):
        with self.state:
            if self.armed:
                self.fired = True
                raise_in_thread(self.thread_id, OutOfTime)

    def __exit__(self, kind, error, traceback):
        try:
            self.disarm()
        except OutOfTime:  # delivered while disarming: the block is done, so let it stand
            self.disarm()
        # Fired at all means out of time, even if the block swallowed OutOfTime (a cffi callback
        # from Pango prints and drops whatever its Python side raises).
        if kind is OutOfTime or self.fired:
            raise LetterTooSlow(self.seconds) from None
        return False

    def disarm(self):
        with self.state:
            self.armed = False
        if self.fired:
            raise_in_thread(self.thread_id, None)  # withdraw it if it has not been delivered yet


def raise_in_thread(thread_id, exception):
    """Make a thread raise `exception` at its next Python instruction (None withdraws a pending one)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


DEFLATE_LEVEL = 6  # zlib's default: the same pixels as pydyf's 9, in about 0.3% more bytes and less time


def deflate_streams_once(document, pdf):
    """Deflate every stream now, once: a WeasyPrint finisher, run just before the PDF is written.

    pydyf deflates a stream (at level 9) each time its bytes are asked for, and they are asked for
    twice when the PDF has an /ID: to write the stream and to hash the file. Deflated here, each
    stream is written and hashed as it is.
    """
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)  # as pydyf joins a stream
            deflater = zlib.compressobj(level=DEFLATE_LEVEL)
            stream.stream = [deflater.compress(raw) + deflater.flush()]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


def then_deflated(finisher):
    """Return a WeasyPrint finisher: the letter's own (the pen pass) first, then every stream deflated once."""
    if finisher is None:
        return deflate_streams_once

    def finish(document, pdf):
        finisher(document, pdf)
        deflate_streams_once(document, pdf)

    return finish


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


class Renderer:
    """Fonts and stylesheets loaded once; every letter after the first renders warm."""

    def __init__(self, static_root=STATIC_ROOT):
        self.static_root = Path(static_root).resolve()
        self.base_url = self.static_root.as_uri() + "/"
        self.fetcher = StaticOnlyFetcher(self.static_root)
        self.font_config = FontConfiguration()
        self.stylesheets = [self._css(string=registry_css()),
                            self._css(filename=self.static_root / "css" / "letter.css")]
        self._page_css = {}
        self._letter_css, self._letter_css_lock = {}, threading.Lock()
        self.images = {}  # paper textures, decoded once: only static/ files can get in here
        self._lock = threading.Lock()  # Pango and the font map are shared: one render at a time
        self.letters, self.settled = 0, False  # letters rendered; settled before the second (settle)

    def _css(self, **source):
        return CSS(**source, base_url=self.base_url, url_fetcher=self.fetcher,
                   font_config=self.font_config)

    def page_stylesheet(self, page_size, paper, hand):
        key = (page_size, paper, hand)
        if key not in self._page_css:
            self._page_css[key] = self._css(string=page_css(page_size, paper, hand))
        return self._page_css[key]

    def stylesheets_for(self, page_size, paper, hand, letter_css=""):
        """Return every stylesheet one letter is rendered with; letter_css is its own (realism.py)."""
        own = [self.letter_stylesheet(letter_css)] if letter_css else []
        return self.stylesheets + [self.page_stylesheet(page_size, paper, hand)] + own

    def letter_stylesheet(self, letter_css):
        """Return a letter's own stylesheet, parsed once: it depends on a few registry keys only."""
        with self._letter_css_lock:
            if letter_css not in self._letter_css:
                if len(self._letter_css) >= LETTER_CSS_KEPT:
                    self._letter_css.pop(next(iter(self._letter_css)))
                self._letter_css[letter_css] = self._css(string=letter_css)
            return self._letter_css[letter_css]

    def _document(self, html, stylesheets, **options):
        return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
            stylesheets=stylesheets, font_config=self.font_config, **options)

    def render(self, html, page_size, paper, hand, max_pages=None, seconds=None,
               archival=False, extra_pages=0, letter_css="", finisher=None):
        """Return the PDF of an HTML letter, refusing one longer than max_pages or slower than seconds.

        extra_pages are pages after the letter that do not count towards max_pages (an
        envelope); an archival PDF is PDF/A-3b and tagged, so screen readers can read it.
        letter_css is built from registry keys and numbers only, never from what a person typed.
        The HTML's <meta name=...> go into the PDF's metadata (see provenance.py).
        finisher, if given, rewrites the PDF's objects before they are written (the pen, pen/).
        """
        if self.letters and not self.settled:
            self.settle()
        stylesheets = self.stylesheets_for(page_size, paper, hand, letter_css)
        with self._lock, time_limit(seconds):
            document = self._document(html, stylesheets, cache=self.images)
            letter_pages = len(document.pages) - extra_pages
            if max_pages and letter_pages > max_pages:
                raise LetterTooLong(letter_pages, max_pages)
            pdf = document.write_pdf(pdf_identifier=b"letterhouse", custom_metadata=True,
                                     finisher=then_deflated(finisher), **(ARCHIVAL_PDF if archival else {}))
            self.letters += 1
        return RenderedPdf(pdf, len(document.pages))

    def settle(self):
        """Collect once, then freeze what is left: the fonts, stylesheets and outlines the first letter loaded.

        Frozen objects are never traversed again, so a warm process's full collections walk only what
        each letter makes, not the 86,000 objects it keeps (a full collection about 110 -> 8 ms). Done
        before the second letter, when the first one's objects are gone, so the first is no slower.
        """
        with self._lock:
            if not self.settled:
                gc.collect()
                gc.freeze()
                self.settled = True

    def parsed_css(self, text):
        """Return a stylesheet parsed once, to be given to plain_pdf any number of times."""
        return self._css(string=text)

    def plain_pdf(self, html, stylesheets):
        """Return WeasyPrint's PDF of this HTML and CSS with nothing of ours around it: the floor."""
        with self._lock:
            return self._document(html, stylesheets).write_pdf()


_renderer = None
_renderer_lock = threading.Lock()


@atexit.register
def release_renderer():
    """Free the renderer's Pango objects while the interpreter is whole.

    Left to interpreter shutdown, cffi may free the font map after the libraries it
    needs are gone, and the process exits with a segmentation fault.
    """
    global _renderer
    _renderer = None
    gc.collect()


def get_renderer():
    """Return this process's renderer, creating it on first use."""
    global _renderer
    with _renderer_lock:
        if _renderer is None:
            warn_if_slow_subsetting()
            _renderer = Renderer()
        return _renderer
