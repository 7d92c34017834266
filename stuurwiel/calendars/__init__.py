"""Business calendars: service hours, holidays and business time (models come later)."""
