"""Helpers every capstone's locustfile uses: logins, think times, seeded data, limits."""
