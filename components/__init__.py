"""Reusable UI pieces: the layout frame, movie cards, the seat grid, ..."""
