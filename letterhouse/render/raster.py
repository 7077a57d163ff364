"""PDF -> preview images: the pages a person sees are rasterised from the PDF they will download."""

import base64
import io
import threading

import pypdfium2

# PDFium is not thread-safe, not even across different documents: one call at a time per process.
PDFIUM_LOCK = threading.Lock()


def pdf_page_images(pdf, width):
    """Return each page of a PDF as PNG bytes, `width` pixels wide."""
    with PDFIUM_LOCK:
        return _page_images(pdf, width)


def _page_images(pdf, width):
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", compress_level=6)  # optimize=True: 8x slower, 5% smaller
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def data_uri(png):
    """Return PNG bytes as a data: URI for an <img> in the preview page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
