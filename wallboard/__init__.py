"""wallboard: a live call-centre wallboard in the terminal for 8x8 contact centres."""

__version__ = "0.1.0"
