"""``python -m campaignlab``: the same as the ``campaignlab`` command."""

import sys

from campaignlab.cli import main

sys.exit(main())
