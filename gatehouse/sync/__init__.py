"""The booth's side of sync: push the outbox to the hub, pull signed bundles, watch the clock.

``protocol`` is the wire contract shared with ``gatehouse.hub`` (pure: no I/O); the rest runs
in the booth and talks to the hub only over HTTP.
"""
