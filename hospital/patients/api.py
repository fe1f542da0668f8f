"""The patients API (registered on config.api.router)."""
