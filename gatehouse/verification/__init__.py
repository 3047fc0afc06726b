"""Online verification of provincial health codes through the issuer's service (HTTP).

Above core (it turns answers into core values) and below booth and ui (which decide when to
call it: at the gate when the network is up, or from the re-verification queue later).
The HTTP contract is docs/health-code-verification.md.
"""
