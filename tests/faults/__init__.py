"""Kill tests: a child process is killed with SIGKILL at random points of saves, exports,
imports and migrations; after each kill the files are checked (`python -m tests.faults`)."""
