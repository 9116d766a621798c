"""``wallboard serve``: the board in web browsers, through textual-serve.

Each browser session is its own ``wallboard run`` process (textual-serve starts one per
websocket) against a relay inside the serve process, so every browser reads the same
data and 20 browsers cost 8x8 what one board costs.

* :mod:`wallboard.web.sessions`: pure: what a page's URL asks for (``?tv=1&view=NAME``)
  and the command line of the board it starts.
* :mod:`wallboard.web.server`: textual-serve's server with the session options carried
  in the websocket path, Basic auth and TLS off loopback, and the relay beside it.
"""
