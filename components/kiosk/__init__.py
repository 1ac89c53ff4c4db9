"""UI pieces of the lobby kiosk: its chrome (full screen, no selection, no links out), keypads, seat moves."""
