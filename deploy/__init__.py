"""Deployment: the Docker/nginx recipe and the native production stack (native_stack.py)."""
