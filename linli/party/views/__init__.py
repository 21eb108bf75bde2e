"""Pages of party organisation, one room per noun (organisations, members, registrations, the member's own
public pages, beacon households, partner units)."""
