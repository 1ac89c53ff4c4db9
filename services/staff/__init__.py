"""The theater's side: roles and access, the audit log, staff accounts, check-in at the door."""
