"""The readers' exception; it lives in :mod:`plgdata.io.errors` (the sniffer raises it too)."""

from plgdata.io.errors import ReadError

__all__ = ["ReadError"]
