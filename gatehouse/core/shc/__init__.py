"""SMART Health Cards ("shc:/"): numeric QR text, compact JWS (ES256), raw DEFLATE, FHIR.

A card verifies when every chunk is present, its ``iss`` is a well-formed issuer URL the booth
trusts and a key of that issuer (never another's) verifies the JWS, the payload inflates
(capped) to a card that is already valid, and the issuer has not revoked it by its ``rid``.
"""
