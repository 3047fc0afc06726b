"""Entry script for the frozen build: the same as the ``gatehouse`` command.

``freeze_support`` comes first: the desk's exports run in a child process started with "spawn",
which re-runs this executable; PyInstaller's hook makes that child run the export, not the booth
(on Linux as on Windows).
"""

import multiprocessing
import sys

from gatehouse.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
