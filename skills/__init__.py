"""The skills' deterministic logic as importable Python: audit and briefing, cross-posting, Odoo sync."""
