"""The error a command raises when it cannot do what was asked.

It lives with the commands, not in ``gatehouse.cli``, so the commands never import the entry point
that imports them; ``cli.main`` prints the message and exits 1.
"""

from __future__ import annotations


class CommandError(Exception):
    """A command cannot do what was asked; the message is for the person at the terminal."""
