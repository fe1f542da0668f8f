"""Which apps the hospital's ER diagram draws (see shared/web/erd.py for how)."""

from pathlib import Path

HOSPITAL_APPS = ["staff", "patients", "scheduling", "clinical", "billing", "reports"]
README = Path(__file__).resolve().parents[1] / "README.md"
