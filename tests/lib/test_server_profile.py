"""The shared-server profile (lib/server_profile.py, RELIABILITY section 3): which settings
break it, that the flags `make serve` passes repair exactly those, and what a host name is."""
from __future__ import annotations

import subprocess
import tomllib

import pytest

from lib.i18n import STRINGS
from lib.server_profile import (RULES, ProfileError, active_profile, is_loopback, problems,
                                shared_flags, shared_settings)
from tests.conftest import ROOT

# Streamlit 1.67's defaults for the options .streamlit/config.toml leaves unset.
DEFAULTS = {"server.trustedUserHeaders": {}, "server.runOnSave": False, "server.maxMessageSize": 200,
            "server.disconnectedSessionTTL": 120, "global.developmentMode": False}


def local_settings() -> dict[str, object]:
    """What Streamlit runs with under `make run`: the config file over the defaults."""
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    settings = dict(DEFAULTS)
    for section, values in cfg.items():
        settings.update({f"{section}.{k}": v for k, v in values.items()})
    return settings


def with_flags(settings: dict[str, object], flags: list[str]) -> dict[str, object]:
    """`settings` after Streamlit's command line: `--a.b=v`, typed like the value it replaces
    (a list option takes the flag's value as its one element, as click's `multiple` does)."""
    out = dict(settings)
    for flag in flags:
        key, value = flag.removeprefix("--").split("=", 1)
        old = out.get(key)
        out[key] = ([value] if isinstance(old, list) else value == "true" if isinstance(old, bool)
                    else int(value) if isinstance(old, int) else value)
    return out


def test_the_local_profile_breaks_exactly_the_rules_a_shared_server_needs() -> None:
    found = problems(local_settings().__getitem__)
    assert {m.option: m.found for m in found} == {
        "server.maxUploadSize": 300,
        "server.maxMessageSize": 200, "server.disconnectedSessionTTL": 120,
        "server.allowedHosts": ["localhost", "127.0.0.1", "::1"]}


def test_make_serve_flags_put_the_shared_profile_on_top_of_the_config_file() -> None:
    flags = shared_flags("shop.example.com", 8600)
    settings = with_flags(local_settings(), flags)
    assert problems(settings.__getitem__) == []
    assert settings["server.port"] == 8600 and settings["server.allowedHosts"] == ["shop.example.com"]
    assert settings["server.maxUploadSize"] == 50 and settings["server.address"] == "127.0.0.1"
    # the flags say exactly what shared_settings holds (the app's own test sets those directly)
    assert settings == {**local_settings(), **shared_settings("shop.example.com", 8600)}


def test_each_rule_catches_its_own_setting() -> None:
    good = with_flags(local_settings(), shared_flags("shop.example.com"))
    bad_values = {"server.headless": False, "server.address": "0.0.0.0",
                  "server.enableXsrfProtection": False, "server.enableCORS": False,
                  "server.enableStaticServing": True, "server.enableAgentApi": True,
                  "server.unsafeMetricsUserAttributes": ["email"],
                  "server.trustedUserHeaders": {"X-Forwarded-Email": "email"},
                  "server.fileWatcherType": "auto", "server.runOnSave": True,
                  "client.showErrorDetails": "full", "client.toolbarMode": "developer",
                  "browser.gatherUsageStats": True, "global.developmentMode": True,
                  "server.maxUploadSize": 51, "server.maxMessageSize": 200,
                  "server.disconnectedSessionTTL": 31, "server.allowedHosts": []}
    assert sorted(bad_values) == sorted(r.option for r in RULES)  # one case per rule
    for option, value in bad_values.items():
        found = problems({**good, option: value}.__getitem__)
        assert [(m.option, m.found) for m in found] == [(option, value)], option


@pytest.mark.parametrize(("hosts", "ok"), [
    ([], False), (["*"], False), (["localhost", "127.0.0.1", "::1"], False),
    (["shop.example.com", "*.example.com"], False), ([" "], False),
    (["shop.example.com"], True), (["shop.example.com", "localhost"], True), (["10.0.0.5"], True),
])
def test_allowed_hosts_must_name_the_proxy_and_no_wildcard(hosts: list[str], ok: bool) -> None:
    settings = {**with_flags(local_settings(), shared_flags("x.example")), "server.allowedHosts": hosts}
    assert (problems(settings.__getitem__) == []) is ok


def test_a_limit_must_be_a_number_at_most_its_bound() -> None:
    good = with_flags(local_settings(), shared_flags("shop.example.com"))
    assert problems({**good, "server.maxUploadSize": 0}.__getitem__) == []
    assert problems({**good, "server.maxUploadSize": 50}.__getitem__) == []
    assert len(problems({**good, "server.maxUploadSize": "50"}.__getitem__)) == 1
    assert len(problems({**good, "server.disconnectedSessionTTL": True}.__getitem__)) == 1


@pytest.mark.parametrize("host", ["", "localhost", "127.0.0.1", "::1", "[::1]", "*.example.com",
                                  "shop example.com"])
def test_make_serve_refuses_a_host_clients_cannot_use(host: str) -> None:
    with pytest.raises(ValueError, match="not a host name"):
        shared_flags(host)


def test_loopback_names() -> None:
    assert all(is_loopback(h) for h in ("localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1", "[::1]"))
    assert not any(is_loopback(h) for h in ("shop.example.com", "10.0.0.5", "localhost.example.com"))


def test_the_profile_comes_from_the_environment_and_a_typo_is_refused() -> None:
    assert active_profile({}) == "local" and active_profile(None) == "local"
    assert active_profile({"SHOPLENS_PROFILE": ""}) == "local"
    assert active_profile({"SHOPLENS_PROFILE": " "}) == "local"
    assert active_profile({"SHOPLENS_PROFILE": " Shared "}) == "shared"
    with pytest.raises(ProfileError):
        active_profile({"SHOPLENS_PROFILE": "shard"})


def test_every_rule_says_why_in_both_languages() -> None:
    for rule in RULES:
        en, zh = STRINGS[f"profile.why.{rule.option}"]
        assert en and zh and en != zh
    for test in {r.test for r in RULES}:
        assert f"profile.need.{test}" in STRINGS


def test_make_serve_passes_host_port_and_folder_to_the_launcher() -> None:
    out = subprocess.run(["make", "-n", "serve", "HOST=shop.example.com", "PORT=8600",
                          "WORKSPACES=/srv/client-a"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert ('-m ui.serve --host "shop.example.com" --port "8600" --workspaces "/srv/client-a"'
            in out)
