"""A faithful simulator of the 8x8 APIs, served over real HTTP on loopback.

``wallboard demo`` runs the board against it and every integration test talks to it, so
it reproduces what matters about the real service: response shapes, Basic auth, a data
cache that changes only every 10 s with a phase of its own, and injectable faults.
"""
