"""How much of the machine the build uses, stated once.

The build machine has two CPU cores (see the benchmark's machine line in ``benchmarks/latest.md``).
``casebook/figures.py`` renders figures in up to this many processes and ``casebook/pdf.py`` prints
pages with up to this many browsers, one per core; ``casebook/notebooks.py`` runs up to this many labs
at once, each in its own kernel; the benchmark reports its figures with it.
"""

from __future__ import annotations

WORKERS = 2
