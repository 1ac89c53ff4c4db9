"""Holding seats, pricing, paying, booking, cancelling and tickets."""
