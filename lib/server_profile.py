"""The shared-server profile (RELIABILITY section 3): the Streamlit settings the app must run
with before people other than the machine's own user reach it, and the start-up check that
refuses to serve pages when one differs.

Local use (`make run`) is the single-user profile of `.streamlit/config.toml`. A consultant who
serves the app to clients starts it with `make serve HOST=<proxy host name>` (`ui/serve.py`):
that sets `SHOPLENS_PROFILE=shared` and the flags of `shared_flags()` on top of the file, and
the app checks every rule below against what Streamlit actually loaded (`problems()`, called
with `st.get_option`), so a setting changed by a config file, an environment variable or a
hand-typed command cannot slip through. What no setting can do stays the operator's: a proxy
in front that authenticates users and blocks `/_stcore/metrics` (G5, G7, G11).

Plain Python: the caller passes the option getter, so this module never imports Streamlit.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

PROFILE_ENV = "SHOPLENS_PROFILE"
SHARED = "shared"
PROFILES = ("local", SHARED)  # unset means local
LOOPBACK_NAMES = frozenset({"localhost"})

Test = Literal["equals", "at_most", "hosts"]


@dataclass(frozen=True)
class Rule:
    """Option `option` must equal `value` ("equals"), be at most `value` ("at_most"), or, for
    "hosts", name at least one host that is not this machine and no wildcard. Why each rule
    exists is said to the operator in their language: `profile.why.<option>` in lib/strings."""

    option: str
    test: Test
    value: object = None


RULES: tuple[Rule, ...] = (
    Rule("server.headless", "equals", True),
    # Only the proxy on this machine reaches Streamlit, so users cannot go around its login
    # or send their own identity headers (G8).
    Rule("server.address", "equals", "127.0.0.1"),
    Rule("server.enableXsrfProtection", "equals", True),
    Rule("server.enableCORS", "equals", True),
    Rule("server.enableStaticServing", "equals", False),
    Rule("server.enableAgentApi", "equals", False),
    Rule("server.unsafeMetricsUserAttributes", "equals", []),
    Rule("server.trustedUserHeaders", "equals", {}),
    Rule("server.fileWatcherType", "equals", "none"),
    Rule("server.runOnSave", "equals", False),
    Rule("client.showErrorDetails", "equals", "none"),
    Rule("client.toolbarMode", "equals", "viewer"),
    Rule("browser.gatherUsageStats", "equals", False),
    Rule("global.developmentMode", "equals", False),
    # Uploads are held in the server's memory for the session (G5): a client's flood of large
    # files must not starve the others. 50 MB holds 90-150k lines of a Shopify CSV
    # export, several times that zipped.
    Rule("server.maxUploadSize", "at_most", 50),
    Rule("server.maxMessageSize", "at_most", 50),
    # A disconnected session (and its uploads, and its id, which re-attaches to it) lives this
    # many seconds (G6).
    Rule("server.disconnectedSessionTTL", "at_most", 30),
    # Empty means any Host header: DNS rebinding (G9). The proxy's public name must be listed.
    Rule("server.allowedHosts", "hosts", None),
)

# Values `shared_flags` passes on the command line (the file's own values pass the others).
_FLAG_VALUES: dict[str, object] = {
    "server.address": "127.0.0.1",
    "server.maxUploadSize": 50,
    "server.maxMessageSize": 50,
    "server.disconnectedSessionTTL": 30,
    "server.fileWatcherType": "none",
    "server.runOnSave": False,
    "server.headless": True,
}


@dataclass(frozen=True)
class Mismatch:
    """One rule the running server breaks: what it has and what the profile needs."""

    option: str
    found: object
    test: Test
    needed: object


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine (localhost, 127.x, ::1): not a name users reach."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _hosts_ok(value: object) -> bool:
    hosts = [str(h) for h in value] if isinstance(value, (list, tuple)) else []
    return (bool(hosts) and not any("*" in h or not h.strip() for h in hosts)
            and any(not is_loopback(h) for h in hosts))


def _at_most(value: object, bound: object) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and isinstance(bound, (int, float)) and value <= bound)


def problems(get_option: Callable[[str], object], rules: Sequence[Rule] = RULES) -> list[Mismatch]:
    """Every rule the settings `get_option` reads break, in the order of `rules`."""
    found: list[Mismatch] = []
    for rule in rules:
        value = get_option(rule.option)
        if rule.test == "equals":
            ok = value == rule.value and type(value) is type(rule.value)
        elif rule.test == "at_most":
            ok = _at_most(value, rule.value)
        else:
            ok = _hosts_ok(value)
        if not ok:
            found.append(Mismatch(rule.option, value, rule.test, rule.value))
    return found


class ProfileError(ValueError):
    """SHOPLENS_PROFILE names no profile (a typo must not quietly serve the local one)."""


def active_profile(environ: dict[str, str] | None) -> str:
    """The profile SHOPLENS_PROFILE asks for: "local" when unset or empty."""
    value = ((environ or {}).get(PROFILE_ENV) or "").strip().lower() or "local"
    if value not in PROFILES:
        raise ProfileError(value)
    return value


def shared_settings(host: str, port: int = 8501) -> dict[str, object]:
    """The Streamlit options `make serve` sets on top of .streamlit/config.toml, as typed
    values, for the proxy's host name `host` (the only name the app will answer under)."""
    if not host or "*" in host or any(c.isspace() for c in host) or is_loopback(host):
        raise ValueError(f"not a host name clients use: {host!r}")
    if not 0 < port < 65536:
        raise ValueError(f"not a port: {port}")
    return {"server.port": int(port), "server.allowedHosts": [host], **_FLAG_VALUES}


def shared_flags(host: str, port: int = 8501) -> list[str]:
    """`shared_settings` as `streamlit run` flags (a list option as one flag per item)."""
    flags = []
    for option, value in shared_settings(host, port).items():
        for item in value if isinstance(value, list) else [value]:
            text = str(item).lower() if isinstance(item, bool) else str(item)
            flags.append(f"--{option}={text}")
    return flags
