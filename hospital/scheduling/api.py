"""The scheduling API (registered on config.api.router)."""
