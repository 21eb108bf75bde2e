"""Co-building's pages: the resident's (phone), the provider's, the staff's (desktop) and the public ones."""
