"""PDF -> preview images: the pages a person sees are rasterised from the PDF they will download."""

import base64
import io

import pypdfium2


def pdf_page_images(pdf, width):
    """Return each page of a PDF as PNG bytes, `width` pixels wide."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for page in document:
            scale = width / page.get_width()
            bitmap = page.render(scale=scale)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=True)
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def data_uri(png):
    """Return PNG bytes as a data: URI for an <img> in the preview page."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")
