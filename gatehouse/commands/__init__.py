"""One module per ``gatehouse`` subcommand, each with ``register(subparsers)``.

Commands import their heavy dependencies (Qt, OpenCV, the hub) inside their handlers, so
``gatehouse --help`` and the light commands start fast.
"""
