"""The letter domain: templates, fields, values and the Letter. Imports neither Flask nor WeasyPrint."""
