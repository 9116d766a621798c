"""What each screen says: rows, cells, tiles, header parts and texts, with style names.

Widgets map the style names to theme colours and draw; every decision about what to
show (sorting, filtering, levels, which columns or tiles fit) is made here and tested
without a terminal.
"""
