"""``python -m lzcenter_desktop`` — same as the ``lzcenter-desktop`` command."""

import sys

from lzcenter_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
