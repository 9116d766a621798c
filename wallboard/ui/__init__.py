"""The Textual user interface: screens and widgets that render state they are given.

Nothing here fetches: one poller (``wallboard.ui.poller``) talks to the clients and hands
the app immutable snapshots; widgets only draw them.
"""
