"""What runs is what was pinned and tested (RELIABILITY G12): every pin in requirements.txt is
the installed version, and no pin falls below a known-vulnerable or untested floor. Offline:
the floors are written here, with the reason for each."""
from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#;]+)")

# package: (lowest acceptable version, why)
FLOORS = {
    "streamlit": ("1.54.0", "CVE-2026-33682 (path traversal on Windows hosts) is fixed from 1.54.0; "
                            "older traversals from 1.37.0/1.30.0/1.11.1"),
    "duckdb": ("2.0.1", "the 2.0 API (no Relation.fetchone) this code is written and measured against"),
    "prophet": ("1.5.0", "bundled cmdstan, offline fits, the options lib/forecast/model.py sets"),
    "pandas": ("3.1.1", "tested version; pandas 3 copy-on-write semantics"),
    "pyarrow": ("26.0.1", "tested version (DuckDB → Arrow → pandas path)"),
    "defusedxml": ("0.7.1", "XML bombs in .xlsx workbooks are refused through it"),
}


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m:
            out[m.group(1).lower()] = m.group(2)
    return out


def as_tuple(v: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", v.split("+")[0])[:3])


def test_every_requirement_is_pinned_exactly() -> None:
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    loose = [line for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#") and not PIN.match(line.strip())]
    assert loose == [], "pin every requirement with ==: " + ", ".join(loose)


@pytest.mark.parametrize("name, pinned", sorted(pins().items()))
def test_the_installed_version_is_the_pinned_one(name: str, pinned: str) -> None:
    try:
        installed = version(name)
    except PackageNotFoundError:
        pytest.fail(f"{name}=={pinned} is pinned but not installed: run `make venv`")
    assert installed == pinned, f"{name}: {installed} installed, {pinned} pinned"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_pin_is_below_its_floor(name: str) -> None:
    floor, why = FLOORS[name]
    pinned = pins()[name]
    assert as_tuple(pinned) >= as_tuple(floor), f"{name} {pinned} < {floor}: {why}"
