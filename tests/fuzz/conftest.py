"""Hypothesis profiles: "fuzz-short" in `make test` (seconds), "fuzz-long" for `make faults`
(MUBA_FUZZ_LONG=1). No example database: a run must not leave files in the repository."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz-short",
    max_examples=150,
    # The same examples on every CI run, so a red build is reproducible; the long run explores.
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz-long",
    max_examples=20_000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = "fuzz-long" if os.environ.get("MUBA_FUZZ_LONG") else "fuzz-short"
