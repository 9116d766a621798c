"""Vendor payloads to records and back: one parser per source over shared plumbing.

Everything from outside is hostile: every module here bounds the work a payload may
cost, keeps a record whose fields are wrong (the field becomes "no value" and a problem
says why), and refuses an answer no real server sends with a one-line reason.
"""
