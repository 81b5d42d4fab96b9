"""Problem reports on library games: /report, /my_reports, /reports and the admins' buttons."""
