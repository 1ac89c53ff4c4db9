"""Staff pages (the staff console); ``kiosks`` manages the lobby kiosks of a theater."""
