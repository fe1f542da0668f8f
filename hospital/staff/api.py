"""The staff API (registered on config.api.router)."""
