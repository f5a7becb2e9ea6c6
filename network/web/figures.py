"""Pages read at a glance: a case's timeline, the statistics; and the draft request download."""

from __future__ import annotations

import io

from flask import Blueprint, Response, render_template, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from network.auth.policy import Action, can
from network.core import clock
from network.extensions import db
from network.http.locale import localdate
from network.http.security import sandboxed_download
from network.reporting import statistics
from network.reporting.documents import draft_request
from network.reporting.timelines import case_timeline
from network.web.charts import Bar, Span, bar_chart, timeline_chart
from network.web.labels import label

bp = Blueprint("web_figures", __name__)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

MEASURE_CSS = {
    "in_force": "span-in-force",
    "extended": "span-extended",
    "lapsed": "span-lapsed",
    "lifted": "span-ended",
    "replaced": "span-replaced",
    "requested": "span-requested",
}


@bp.route("/cases/<int:case_id>/timeline")
def timeline(case_id: int) -> str:
    now = clock.now()
    data = case_timeline(current_user, case_id, now)
    spans: list[Span] = []
    for request in data.requests:
        start = request.sent_on or request.created_on
        end = request.answered_on or data.today
        spans.append(
            Span(
                label=_("Request %(id)s (%(kind)s, %(state)s)", id=request.id,
                        kind=label(request.kind, "request_kind"), state=request.requested_state),
                start=start,
                end=max(end, start),
                css="span-request-answered" if request.answered_on else "span-request",
                shown=_("from %(start)s to %(end)s, %(status)s", start=localdate(start),
                        end=localdate(end), status=label(request.status, "request_status")),
            )
        )
    for measure in data.measures:
        if measure.effective_on is None:
            continue
        end = measure.ended_on or measure.expires_on or data.today
        spans.append(
            Span(
                label=_("Order %(id)s (%(kind)s, %(state)s)", id=measure.id,
                        kind=label(measure.kind, "measure_kind"), state=measure.issuing_state),
                start=measure.effective_on,
                end=max(end, measure.effective_on),
                css=MEASURE_CSS.get(measure.status, "span-request"),
                shown=_("from %(start)s to %(end)s, %(status)s",
                        start=localdate(measure.effective_on), end=localdate(end),
                        status=label(measure.status, "measure_status")),
            )
        )
    for move in data.moves:
        spans.append(
            Span(
                label=_("Asset %(id)s: %(status)s", id=move.asset_id,
                        status=label(move.to_status, "asset_status")),
                start=move.on,
                end=move.on,
                css="point-asset",
                shown=localdate(move.on),
            )
        )
    chart = timeline_chart(
        f"timeline-{case_id}",
        _("Timeline of case %(reference)s", reference=data.reference),
        spans,
        data.today,
        _("Today"),
        _("Nothing dated has been recorded in this case yet."),
    )
    db.session.commit()
    return render_template(
        "figures/timeline.html", data=data, chart=chart
    )


def _days(value: float | None) -> str:
    return "—" if value is None else _("%(days)s days", days=format_decimal(round(value, 1)))


@bp.route("/statistics")
def statistics_page() -> str:
    """A State's own users see its figures; the secretariat sees suppressed network aggregates."""
    now = clock.now()
    if can(current_user, Action.VIEW_NETWORK_STATISTICS):
        network = statistics.network_statistics(current_user, now)
        bars = [
            Bar(label(outcome, "measure_status"), float(cell.value or 0),
                _("fewer than 3 cases") if cell.suppressed else str(cell.value),
                "bar-suppressed" if cell.suppressed else f"bar bar-{outcome}")
            for outcome, cell in network.measures
        ]
        chart = bar_chart("network-measures", _("Provisional measures by outcome"), bars,
                          _("No provisional measures recorded."))
        return render_template(
            "figures/network_statistics.html", stats=network, chart=chart, days=_days,
            minimum=statistics.MIN_CASES,
        )
    stats = statistics.state_statistics(current_user, now)
    request_bars = []
    for row in stats.counterparts:
        request_bars.append(Bar(_("Sent to %(state)s", state=row.state), row.sent, str(row.sent),
                                "bar bar-sent"))
        request_bars.append(Bar(_("Received from %(state)s", state=row.state), row.received,
                                str(row.received), "bar bar-received"))
    measure_bars = [
        Bar(label(outcome, "measure_status"), number, str(number), f"bar bar-{outcome}")
        for outcome, number in stats.measures.items()
    ]
    charts = {
        "requests": bar_chart("state-requests", _("Requests per counterpart State"),
                              request_bars, _("No requests sent or received yet.")),
        "measures": bar_chart("state-measures", _("Provisional measures by outcome"),
                              measure_bars, _("No provisional measures recorded.")),
    }
    return render_template(
        "figures/state_statistics.html", stats=stats, charts=charts, days=_days,
    )


@bp.route("/requests/<int:request_id>/draft.docx")
@sandboxed_download
def request_draft(request_id: int) -> Response:
    name, content = draft_request(current_user, request_id, clock.now())
    db.session.commit()
    return send_file(io.BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=name)
