"""Where a table is read: one reader per publisher format, plus the sources manifest."""
