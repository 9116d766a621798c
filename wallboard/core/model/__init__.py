"""The records the board draws and the rules on them, whatever source fed them.

A parser per source (:mod:`wallboard.core.wire`) fills these types; views read them. A
field the source did not send is ``None`` and shows as "—", never as 0.
"""
