"""briefpack: offline multilingual news briefings.

Importing this package does no work: no folders, no settings, no heavy imports.
"""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
