"""Auth for every capstone: an email-login User, roles as groups, pages and a JWT API."""
