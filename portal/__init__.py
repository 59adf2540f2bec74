"""Channel-partner collaboration portal (PRM)."""

import os

# Piccolo finds its engine through this module wherever the process was started.
os.environ.setdefault("PICCOLO_CONF", "portal.piccolo_conf")

__version__ = "0.1.0"
