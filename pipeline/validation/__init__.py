"""Where a table is checked: pandera models (one per dataset, named after the data) and the cross-row rules the
publications imply."""
