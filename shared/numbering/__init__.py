"""Gap-free document numbers: ``from shared.numbering.services import next_number``."""
