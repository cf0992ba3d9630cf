"""REST and linked-data route modules, one per resource family."""
