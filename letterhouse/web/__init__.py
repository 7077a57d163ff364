"""The web doors: site pages, the JSON API, errors, security headers, health, the server."""
