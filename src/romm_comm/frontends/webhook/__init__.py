"""Admin notices as signed JSON POSTs to one URL (WEBHOOK_URL, WEBHOOK_SECRET)."""
