"""Test support lives in tests/support/; its fixtures are registered here, once."""

pytest_plugins = [
    "tests.support.fixtures",
    "tests.support.world",
    "tests.support.report_ledger",
    "tests.support.district_ledger",
    "tests.support.browser",
    "tests.support.letters",
]


def pytest_configure(config):
    from tests.support import hypothesis_profiles

    hypothesis_profiles.register(config)
