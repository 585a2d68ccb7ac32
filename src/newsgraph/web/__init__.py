"""The web explorer and HTTP API of a store (``newsgraph serve``); see :mod:`.app`."""

from newsgraph.web.app import create_app

__all__ = ["create_app"]
