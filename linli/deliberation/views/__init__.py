"""Pages of co-governance: staff pages of meetings (desktop) and the residents' hall (phone)."""
