"""Entry script for the frozen build: the same as the ``gatehouse`` command."""

import sys

from gatehouse.cli import main

if __name__ == "__main__":
    sys.exit(main())
