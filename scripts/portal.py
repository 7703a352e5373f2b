"""Run the portal's processes together (web, worker, beat, under honcho) and stop them on Ctrl-C.

Started by ``scripts/run`` after the bootstrap. Without DATABASE_URL / REDIS_URL the embedded
PostgreSQL and Redis are started under .local/dev; those that this run started are stopped
again on exit, and reused when they were already running.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

from honcho.manager import Manager

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable
FAKE_PLATFORMS_PORT = int(os.environ.get("PORTAL_FAKE_PLATFORMS_PORT", "9100"))


def manage(*args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, check=True)


def demo_exports_line() -> str:
    """Where the export files Umbrella was fed from are kept (kpis.demo.demo_exports_dir: the media
    root's demo-exports), so a newcomer has the six platform exports to drop on a new client's
    Imports page; nothing when the demo did not write them."""
    media = Path(os.environ.get("PORTAL_MEDIA_ROOT", ROOT / ".local" / "media"))  # agency/settings.py's default
    folder = media / "demo-exports"
    if not folder.is_dir() or not any(folder.glob("*.csv")):
        return ""
    shown = folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder
    return (f"  Export files     {shown}/ (Google Ads in Spanish, Meta in US dollars, LinkedIn, GA4, Mailchimp,\n"
            "                   HubSpot: drop them on a new client's Imports page to try the upload)\n")


def demo_new_client_lines() -> str:
    """What a client added in the demo connects to on the fake platforms (clients.connectors.fake_server
    DEMO_NEW_* and DEMO_SPARE_AD_ACCOUNTS): without it, a new client could be connected only through
    its ad platforms' consent, and its first report had spend and no lead, session or email."""
    key = ROOT / ".local" / "fake-platforms" / "fake-ga4-service-account.json"  # fake_platforms.demo_directory()
    shown = key.relative_to(ROOT)
    return ("  A new client     connect it on its Imports page to the fake platforms' accounts no demo client reads:\n"
            "                   Google Ads, Meta Ads, LinkedIn Ads: Allow, then \"Demo account for a new client\"\n"
            "                   HubSpot   Hub ID 4343, token pat-demo-00000000-0000-0000-0000-000000004343\n"
            f"                   GA4       property 434343, the key: paste the whole of {shown}\n"
            "                   Mailchimp API key demo4343434343434343434343434343-us21 (any account id)\n")


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    # Loopback unless told otherwise: a development portal (DEBUG on, demo passwords) is not for
    # the network. PORTAL_BIND=0.0.0.0 (or --bind) opens it to other machines on purpose.
    parser.add_argument("--bind", default=os.environ.get("PORTAL_BIND", "127.0.0.1"),
                        help="address the web server listens on (default 127.0.0.1, or PORTAL_BIND)")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo agency")
    return parser.parse_args(argv)


def main() -> int:
    options = parse_options()

    os.environ.setdefault("DEBUG", "true")  # development: DEBUG defaults to false anywhere else (agency/settings.py)
    os.environ.setdefault("PORTAL_PORT", str(options.port))
    # The demo's connected platforms: a local fake of HubSpot, GA4, Mailchimp, Google Ads, Meta and
    # LinkedIn, and of the ad platforms' consent pages (clients.connectors.fake_server), which every
    # process's connectors call instead of the real APIs.
    fake_platforms = f"http://127.0.0.1:{FAKE_PLATFORMS_PORT}"
    if not options.no_demo:
        for platform in ("HUBSPOT", "GA4", "MAILCHIMP", "GOOGLE_ADS", "META_ADS", "LINKEDIN_ADS"):
            os.environ.setdefault(f"PORTAL_CONNECTOR_URL_{platform}", fake_platforms)
        for platform in ("GA4", "GOOGLE_ADS", "META_ADS", "LINKEDIN_ADS"):
            os.environ.setdefault(f"PORTAL_OAUTH_URL_{platform}", fake_platforms)
    from agency import embedded

    started_here = []
    if not os.environ.get("DATABASE_URL"):
        if not (embedded.data_dir() / "pg" / "postmaster.pid").exists():
            started_here.append(embedded.postgres_stop)
        os.environ[embedded.STARTED_URL] = embedded.postgres_url()  # the children reuse it as it is
    if not os.environ.get("REDIS_URL"):
        if not embedded._redis_answers(embedded._redis_socket()):
            started_here.append(embedded.redis_stop)
        embedded.redis_url()

    print("» migrating the public schema and every client schema", flush=True)
    manage("migrate_schemas", "--verbosity", "0")
    if not options.no_demo:
        print("» demo agency (kept if it exists)", flush=True)
        manage("seed_demo", "--no-logins")  # the logins are printed once, below, with Wayne's
        manage("seed_demo_connections")
        manage("month_reviews")  # the month that ended in review at once, not at beat's first hourly run

    # honcho runs the three processes, prefixes their output, and on Ctrl-C (or when one of
    # them exits) stops the others: SIGTERM to each process group, SIGKILL 5 s later.
    manager = Manager()
    beat_schedule = str(embedded.data_dir() / "celerybeat-schedule")
    address = f"[{options.bind}]" if ":" in options.bind else options.bind
    for name, command in (
        ("web", [PYTHON, "manage.py", "runserver", f"{address}:{options.port}"]),
        ("worker", [PYTHON, "-m", "celery", "-A", "agency", "worker", "--loglevel", "INFO", "--concurrency", "2"]),
        ("beat", [PYTHON, "-m", "celery", "-A", "agency", "beat", "--loglevel", "INFO", "--schedule", beat_schedule]),
        *((("platforms", [PYTHON, "manage.py", "fake_platforms", "--port", str(FAKE_PLATFORMS_PORT)]),)
          if not options.no_demo else ()),
    ):
        manager.add_process(name, shlex.join(command), cwd=str(ROOT), env={**os.environ, "PYTHONUNBUFFERED": "1"})

    port = options.port
    print(
        f"""
The portal is running. Ctrl-C stops it.

  Agency console   http://localhost:{port}/
  Client portals   http://acme.localhost:{port}/   http://globex.localhost:{port}/   http://initech.localhost:{port}/
                   http://umbrella.localhost:{port}/ (fed only from the platforms' export files)
                   http://wayne.localhost:{port}/ (HubSpot, GA4, Mailchimp, Google Ads, Meta, LinkedIn
                   connected to the fake platforms at {fake_platforms})
{demo_exports_line()}{"" if options.no_demo else demo_new_client_lines()}
  Logins (password for all: portal-demo-2026)
    admin               agency admin, every client          (console)
    sam                 agency staff, acme, globex, wayne   (console)
    ana@acme.example    client user of Acme Robotics        (acme.localhost)
    gil@globex.example  client user of Globex Foods         (globex.localhost)
    ivy@initech.example client user of Initech Software     (initech.localhost)
    uma@umbrella.example client user of Umbrella Outdoor   (umbrella.localhost)
""",
        flush=True,
    )
    try:
        manager.loop()
    finally:
        for stop_service in started_here:
            stop_service()
        print("» stopped", flush=True)
    # Stopped by Ctrl-C or SIGTERM: a normal end; a process that died on its own: a failure.
    return 0 if manager.returncode in (0, 130, 143) else 1


if __name__ == "__main__":
    sys.exit(main())
