"""The epidemic office's side: issuer keys, signed passes and printable cards.

Used by the ``keygen``/``issue-pass`` commands and the hub's ``POST /v1/passes``; the booth never
imports it (it only reads passes, through core).
"""
