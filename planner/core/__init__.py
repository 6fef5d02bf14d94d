"""What every feature uses: column types, database set-up, tenant-scoped loading, roles, audit, time display."""
