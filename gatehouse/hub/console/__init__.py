"""The office's web console on the hub: server-rendered pages over the hub's own service layer.

Accounts with roles (office administrator, office staff, a mine's read-only supervisor),
sessions, CSRF tokens on every form, and an audit of every action, all in the hub's database.
"""
