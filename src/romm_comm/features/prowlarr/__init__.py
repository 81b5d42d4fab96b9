"""Prowlarr for admins fulfilling requests: search indexers for a pending request, grab one."""
