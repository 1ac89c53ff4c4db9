"""Live seat-map updates: the in-process hub and the cross-instance poller."""
