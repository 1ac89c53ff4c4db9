"""Live seat-map updates: the in-process hub; across instances the Redis channel and sync (or the poller)."""
