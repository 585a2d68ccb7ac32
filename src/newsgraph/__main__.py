"""``python -m newsgraph``: the ``newsgraph`` command."""

import sys

from newsgraph.cli import main

sys.exit(main())
