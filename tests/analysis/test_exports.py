"""The public API of newsgraph.analysis is what we mean to export."""

from __future__ import annotations

import newsgraph.analysis


def test_exported_names() -> None:
    assert set(newsgraph.analysis.__all__) == {"timeline", "dependencies", "plot_timeline"}
    for name in newsgraph.analysis.__all__:
        assert callable(getattr(newsgraph.analysis, name)), name


def test_matplotlib_is_not_imported_with_the_package() -> None:
    import subprocess
    import sys

    code = "import sys, newsgraph.analysis; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
