"""The annual schedule and the raw-file sensor."""
