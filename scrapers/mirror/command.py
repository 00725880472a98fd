"""`thads mirror serve`: run the local site mirror in the foreground (steer it over /_mirror/control)."""

from __future__ import annotations


def register(subparsers) -> None:
    p = subparsers.add_parser("mirror", help="local mirror of the four news sources (tests, demo)")
    sub = p.add_subparsers(dest="mirror_command", required=True)
    s = sub.add_parser("serve", help="serve the mirror on 127.0.0.1 until interrupted")
    s.add_argument("--port", type=int, default=8765, help="port (0 = any free port); default 8765")
    s.add_argument("--faults", default=None,
                   help='fault spec: JSON (\'{"rates": {"5xx": 0.2}, "seed": 7}\') or 5xx=0.2,429=0.1,seed=7')
    s.add_argument("--as-of", default=None, help="hide articles published after this date (YYYY-MM-DD)")
    s.set_defaults(func=serve)


def serve(args) -> int:
    import signal
    import sys
    import threading

    from scrapers.mirror.faults import FaultSpec, FaultSpecError
    from scrapers.mirror.server import start_mirror

    try:
        spec = FaultSpec.from_value(args.faults) if args.faults else None
        handle = start_mirror(args.port, faults=spec, as_of=args.as_of)
    except (FaultSpecError, ValueError, OSError) as exc:
        print(f"thads mirror: {exc}", file=sys.stderr)
        return 2
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    # The first line is machine-readable so a parent process can read the URL (useful with --port 0).
    print(f"MIRROR_URL={handle.url}", flush=True)
    print(f"serving thads.moj.gov.vn, moj.gov.vn, baophapluat.vn, plo.vn; control: {handle.url}/_mirror/control",
          flush=True)
    try:
        done.wait()
    finally:
        handle.stop()
    return 0
