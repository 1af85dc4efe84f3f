"""Scenarios (placeholder until the chapter is built)."""
from ui.views import placeholder

placeholder("scenarios")
