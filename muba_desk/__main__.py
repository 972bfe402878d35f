"""`python -m muba_desk` is the same as the `muba-desk` command."""

import sys

from muba_desk.cli import main

sys.exit(main())
