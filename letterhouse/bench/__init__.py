"""`letterhouse bench`: Letterhouse measured against plain WeasyPrint in one run."""
