"""The clinical API, one module per resource; config/api.py registers the viewsets."""
