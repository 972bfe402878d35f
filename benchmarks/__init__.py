"""Performance at regency scale (issue 8): each task timed against a baseline measured in the
same run, so the ratios hold on any machine. `python -m benchmarks` prints the table."""
