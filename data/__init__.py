"""What the app reads: the data build, built-data readers, cached loaders and the register store."""
