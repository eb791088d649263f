"""Test support: fixtures and helpers registered in tests/conftest.py (pytest_plugins)."""
