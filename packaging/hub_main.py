"""Entry script for the frozen hub: ``gatehouse-hub serve`` is ``gatehouse hub serve``."""

import sys

from gatehouse.cli import main

if __name__ == "__main__":
    sys.exit(main(["hub", *sys.argv[1:]]))
