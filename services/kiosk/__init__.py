"""Lobby kiosks (issue 13): pairing, staff PIN, the card terminal, idle reset and walk-up sales."""
