"""`python -m benchmarks.load`: the load test (benchmarks/load/run.py)."""

import sys

from .run import main

sys.exit(main())
