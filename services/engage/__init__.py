"""What brings moviegoers back (issue 15): reviews and ratings, loyalty points, calendar files."""
