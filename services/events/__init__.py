"""Live events beside movies (issue 17): general-admission ticket types, their quotas and the event catalog."""
