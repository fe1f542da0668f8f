"""Signal handlers: filled in below."""
