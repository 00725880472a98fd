"""Mirror latency and start-up time (see scrapers/mirror/bench.py)."""

from scrapers.mirror.bench import main

raise SystemExit(main())
