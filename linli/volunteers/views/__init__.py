"""Pages of volunteering: the volunteer's own (phone first) in `mine`, the staff's (desktop) in `staff`."""
