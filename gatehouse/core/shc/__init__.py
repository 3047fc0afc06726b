"""SMART Health Cards ("shc:/"): numeric QR text, compact JWS (ES256), raw DEFLATE, FHIR.

A card verifies when every chunk is present, an issuer key the booth trusts verifies the JWS,
the payload inflates (capped) to a card that is already valid, and the issuer has not revoked
it by its ``rid``.
"""
