"""Lets `python -m wallboard` behave exactly like the `wallboard` console script."""

from wallboard.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
