"""The Textual user interface: screens and widgets that render state they are given.

Nothing here fetches: one poller (:mod:`wallboard.live.poller`) talks to the clients and
hands the app immutable snapshots; the App (:mod:`.app`) publishes each as a
:class:`~wallboard.ui.context.Moment`, and the screens (:mod:`.screens`), the board's tabs
(:mod:`.tabs`, :mod:`.historical`) and their widgets (:mod:`.widgets`) draw it.
"""
