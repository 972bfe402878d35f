"""The office desk: laptops and the bundle inbox, merged registry, queues, decisions, reports."""
