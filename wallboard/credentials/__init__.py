"""Credentials: where tokens, keys and passwords come from, and how they travel.

:mod:`~wallboard.credentials.secret` is the :class:`Secret` that never prints its value;
:mod:`~wallboard.credentials.store` reads the environment and the OS keyring (and keeps
the keyring from hanging or writing plain files behind the user's back);
:mod:`~wallboard.credentials.needs` works out what the setup screen must ask for.
(Not ``secrets``: that name is the standard library's.)
"""
