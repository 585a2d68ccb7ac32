"""The JavaScript libraries of the pages, from npm (``package.json`` at the repository root).

``make install`` runs ``npm ci``, which puts them in ``node_modules/``. The app
serves them from a fixed table of names, so a request can select a file of
this table and nothing else. ``NEWSGRAPH_NODE_MODULES`` points at another
``node_modules`` folder (an installed package has no repository around it).
"""

from __future__ import annotations

import os
from pathlib import Path

#: URL name → path inside node_modules.
VENDOR = {
    "cytoscape.mjs": "cytoscape/dist/cytoscape.esm.min.mjs",
    "chart.js": "chart.js/dist/chart.umd.min.js",
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
}


def node_modules() -> Path | None:
    """The ``node_modules`` folder holding the libraries, if any."""
    configured = os.environ.get("NEWSGRAPH_NODE_MODULES")
    candidates = [Path(configured)] if configured else []
    # src/newsgraph/web/assets.py → the repository root of an editable install.
    candidates.append(Path(__file__).resolve().parents[3] / "node_modules")
    candidates.append(Path.cwd() / "node_modules")
    for folder in candidates:
        if (folder / VENDOR["cytoscape.mjs"]).is_file():
            return folder
    return None


def vendor_file(name: str) -> Path | None:
    """The file served as ``/vendor/{name}``, or None (unknown name, or not installed)."""
    relative = VENDOR.get(name)
    folder = node_modules()
    if relative is None or folder is None:
        return None
    path = folder / relative
    return path if path.is_file() else None


def missing() -> list[str]:
    """Names of the libraries that cannot be served (shown on the pages)."""
    return [name for name in VENDOR if vendor_file(name) is None]


__all__ = ["VENDOR", "missing", "node_modules", "vendor_file"]
