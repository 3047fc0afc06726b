"""The central hub (optional extra ``gatehouse[hub]``): receives every booth's ledger, keeps
each booth's chain head, publishes signed bundles, answers supervisors' queries.

Starlette on uvicorn over SQLAlchemy Core: SQLite for one mine, PostgreSQL for a group. It
imports only ``gatehouse.core`` and the wire contract ``gatehouse.sync.protocol``.
"""
