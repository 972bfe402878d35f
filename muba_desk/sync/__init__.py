"""USB sync: bundle format, keys and provisioning, export from laptops, import at the office."""
