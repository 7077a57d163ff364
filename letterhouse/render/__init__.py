"""Letter -> PDF: composition, hands, styles, the pen, the WeasyPrint door. Imports no Flask."""
