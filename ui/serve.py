"""`make serve HOST=… [PORT=…] [WORKSPACES=…]`: start the app in the shared-server profile.

Streamlit is started with the profile's flags on top of .streamlit/config.toml and
SHOPLENS_PROFILE=shared, so the app checks at start-up that the settings it runs with are the
profile's (lib/server_profile.py). Bound to 127.0.0.1: the proxy in front, on this machine,
authenticates users and serves the app under HOST. One process and one workspaces folder per
client: every session of a process sees every workspace in its folder.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lib.server_profile import PROFILE_ENV, SHARED, shared_flags

APP = Path(__file__).resolve().parents[1] / "app.py"


def command(host: str, port: int, workspaces: str | None) -> tuple[list[str], dict[str, str]]:
    """The argv and environment of the server process."""
    env = {**os.environ, PROFILE_ENV: SHARED}
    if workspaces:
        env["SHOPLENS_WORKSPACES"] = str(Path(workspaces).resolve())
    argv = [sys.executable, "-m", "streamlit", "run", str(APP), *shared_flags(host, port)]
    return argv, env


def main(args: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True,
                        help="the name clients use to reach the proxy (e.g. shop.example.com)")
    parser.add_argument("--port", type=int, default=8501, help="local port the proxy forwards to")
    parser.add_argument("--workspaces", help="this client's workspaces folder")
    ns = parser.parse_args(args)
    if not ns.host.strip():
        parser.error("HOST is missing: make serve HOST=<the name clients use to reach the proxy>")
    try:
        argv, env = command(ns.host, ns.port, ns.workspaces)
    except ValueError as exc:
        parser.error(str(exc))
    os.chdir(APP.parent)  # .streamlit/config.toml is read from the working directory
    os.execvpe(argv[0], argv, env)
    return 0  # pragma: no cover - exec does not return


if __name__ == "__main__":
    raise SystemExit(main())
