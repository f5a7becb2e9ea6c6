"""/api/v1/statistics and /api/v1/cases/{id}/timeline: the figures the pages draw, as JSON."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint

from network.api.responses import refuses
from network.core import clock
from network.extensions import db
from network.reporting import statistics
from network.reporting.timelines import CaseTimeline, case_timeline
from network.schemas.reporting import NetworkStatisticsSchema, StateStatisticsSchema, TimelineSchema

PREFIX = ""
blp = Blueprint("statistics", __name__, description="Statistics and case timelines")


@blp.route("/statistics")
class StateFigures(MethodView):
    @blp.response(200, StateStatisticsSchema)
    @refuses(blp, 403)
    def get(self) -> statistics.StateStatistics:
        """The caller's own State's figures (practitioners and national administrators)."""
        return statistics.state_statistics(current_user, clock.now())


@blp.route("/statistics/network")
class NetworkFigures(MethodView):
    @blp.response(200, NetworkStatisticsSchema)
    @refuses(blp, 403)
    def get(self) -> statistics.NetworkStatistics:
        """Network-wide aggregates for the secretariat; cells on fewer than 3 cases suppressed."""
        return statistics.network_statistics(current_user, clock.now())


@blp.route("/cases/<int:case_id>/timeline")
class Timeline(MethodView):
    @blp.response(200, TimelineSchema)
    def get(self, case_id: int) -> CaseTimeline:
        """A case's requests, measures and their validity, asset moves and returns."""
        timeline = case_timeline(current_user, case_id, clock.now())
        db.session.commit()  # the reads of case data are audited
        return timeline
