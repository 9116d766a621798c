"""Made-up secrets the tests type, store and pass, which must never come out anywhere:
``tests/test_leaks.py`` greps every artefact of a run, and the committed snapshots, for them."""

TYPED = ("tok-Zx81-secret", "key-Qm42-secret", "pw-Lk19-secret")
"""What the setup screen's tests type: a real-time token, an analytics API key, a password.
The committed snapshots show them masked, one bullet per character."""

LEAKCHECK = ("tok-Zx81-LEAKCHECK-a", "key-Qm42-LEAKCHECK-b", "pw-Lk19-LEAKCHECK-c")
"""What the leak tests put in the environment, the keyring and the simulator (same order)."""
