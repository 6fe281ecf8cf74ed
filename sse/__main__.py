"""``python -m sse``: the ``sse`` command."""

import sys

from sse._cli import main

sys.exit(main())
