"""Clinical records: encounters, observations, prescriptions and lab work (append-only)."""
