"""Web basics shared by every capstone: settings, base templates, API conventions, health."""
