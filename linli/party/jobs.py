"""Background work of party: member points for the results of decisions delivered (see `party.results`)."""

from __future__ import annotations

from .results import result_points

JOBS = {"party.result_points": result_points}
