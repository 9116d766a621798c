"""HTTP clients for the 8x8 APIs. All network I/O of the wallboard lives here."""
