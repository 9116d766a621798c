"""Full screens of the board (one a module)."""
