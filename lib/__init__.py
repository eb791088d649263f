"""Small helpers shared by several apps (display text, labels, uploads), each with its own tests."""
