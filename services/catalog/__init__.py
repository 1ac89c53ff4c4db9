"""Movies, theaters, screens, seat layouts and showtimes."""
