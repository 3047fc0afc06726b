"""EU Digital COVID Certificate ("HC1:"): base45, zlib, COSE_Sign1, CWT, the DCC schema.

Each verification step is its own function so the conformance test can check every step
against the EU test data, and ``read_dcc`` composes them for the booth and ``inspect-code``.
"""
