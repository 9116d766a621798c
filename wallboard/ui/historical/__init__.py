"""The Historical tab: Work Analytics reports on demand, as one package.

It loads the first time the tab is shown (the live board starts without it).
"""
