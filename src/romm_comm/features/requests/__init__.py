"""Game requests: the form, de-duplication, admin triage, fulfilment when the game arrives."""
