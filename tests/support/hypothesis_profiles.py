"""Hypothesis profiles: "ci" (the default) is a fixed example budget with a fixed seed, so a
run is repeatable on both databases; "long" explores at least 2,000 examples per property.

    .venv/bin/python -m pytest tests/test_report_properties.py --hypothesis-profile=long
"""

from hypothesis import HealthCheck, settings

CI_EXAMPLES = 25
LONG_EXAMPLES = 2000

# Ledgers are built in the database: an example takes tens of milliseconds, not microseconds.
_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

settings.register_profile("ci", max_examples=CI_EXAMPLES, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=LONG_EXAMPLES, **_COMMON)


def register(config):
    """Load --hypothesis-profile if given, otherwise "ci"."""
    settings.load_profile(config.getoption("hypothesis_profile", None) or "ci")
