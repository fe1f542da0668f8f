"""Test helpers for every capstone, loaded by pytest as the ``shared`` plugin."""
