"""The common package of the five capstones: auth, background tasks, testing and web basics."""
