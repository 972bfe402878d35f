"""Office mode without the window: the merged registry, duplicates, decisions (issue 6)."""
