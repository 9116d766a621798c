"""Widgets of the board (one a module, CSS beside the code)."""
