"""Not registered: the audit log is read on its own pages (audit.views) and is never
edited, by anyone."""
