"""The deadline engine: which reminders are due at ``now``, and sending each exactly once.

Rules (DOMAIN.md, "Deadlines that matter"):

- an open provisional measure expiring in 30, 14, 7 or 1 days or today, and one
  that lapsed, reminds both sides of its relationship;
- a request's deadline (46(24)) 7 days and 1 day ahead, and once passed;
- a recognition proceeding's hearing or last day to appeal 7 days and 1 day ahead, and on
  the day, to both sides; once per step that set the date;
- a return's follow-up milestone 7 days and 1 day ahead, and on the day, to both sides;
- a request waiting on the requested side for more than 30 days without a
  status change;
- an ask not yet answered, 3 days and 1 day before its due date (in the asked
  State's zone), and once passed, reminds both sides of its relationship;
- a member offline since unread messages arrived in a case gets an e-mail with
  the case reference and a link (never the content), at most once per case per
  configured interval;
- a national administrator whose State has directory entries not confirmed for
  12 months is reminded to confirm them, at most once per 30 days.

Only the step that applies *now* is considered: a job that missed the 7-day day
still sends the 7-day reminder two days later, but never the 14-day one once the
7-day one went. Each reminder is keyed by (rule, object, threshold, recipient)
in ``reminders_sent``; a second run the same day finds the keys and sends
nothing. Thresholds carry the date they count towards, so an extended order is
reminded again for its new expiry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from network.asks.read_models import open_asks_everywhere
from network.assistance import lifecycle
from network.assistance.read_models import open_requests_everywhere
from network.auth.models import AccessToken, User, UserSession
from network.cases.access import may_hold, relationship_members
from network.cases.models import Channel, ChannelMember
from network.cases.references import case_reference
from network.core.clock import as_utc
from network.directory.freshness import stale_report
from network.directory.models import State
from network.extensions import db
from network.messages.models import Message
from network.notifications import service as notifications
from network.notifications.deadlines import (
    ask_deadline,
    court_deadlines,
    expiry_deadline,
    milestone_deadlines,
    request_deadline,
)
from network.notifications.models import ReminderSent
from network.recovery import measures, recognition
from network.schemas.vocabularies import NoticeTarget, NotificationKind, RequestStatus, Role

RULE_MEASURE = "measure_expiry"
RULE_REQUEST_DEADLINE = "request_deadline"
RULE_REQUEST_WAITING = "request_waiting"
RULE_COURT_DATE = "court_date"
RULE_UNREAD = "unread_messages"
RULE_STALE_DIRECTORY = "directory_stale"
RULE_ASK = "ask_due"
RULE_MILESTONE = "return_milestone"

MEASURE_STEPS = (0, 1, 7, 14, 30)
REQUEST_STEPS = (1, 7)
ASK_STEPS = (1, 3)
COURT_DATE_STEPS = (0, 1, 7)
_COURT_DATE_NOTICES = {
    recognition.HEARING: NotificationKind.HEARING_NEAR,
    recognition.APPEAL: NotificationKind.APPEAL_DEADLINE_NEAR,
}
WAITING_DAYS = 30
STALE_DIRECTORY_INTERVAL = timedelta(days=30)
# Waiting on the requested side to act (a postponement has its own date).
_WAITING_STATUSES = lifecycle.WITH_REQUESTED_SIDE - {RequestStatus.POSTPONED}


@dataclass(frozen=True)
class Due:
    """One reminder to make for everyone in ``recipients`` who has not had it yet."""

    rule: str
    object_id: int
    threshold: str
    kind: str
    case_id: int | None  # None for a reminder about the directory, not a case
    recipients: list[User]
    params: dict[str, object]
    # What the notice points at; the edges make it a link.
    target: NoticeTarget
    target_id: str
    in_app: bool = True


@dataclass(frozen=True)
class SentReminder:
    """What the job reports: one line per reminder made."""

    rule: str
    object_id: int
    threshold: str
    recipient: str
    subject: str

    def line(self) -> str:
        where = f"{self.rule} {self.object_id} [{self.threshold}]"
        return f"{where} -> {self.recipient}: {self.subject}"


def current_step(days_left: int, steps: tuple[int, ...]) -> int | None:
    """The smallest step not yet passed: 5 days left is the 7-day step; 40 days is none."""
    for step in steps:
        if days_left <= step:
            return step
    return None


# --- rules -----------------------------------------------------------------------------------


def measure_reminders(now: datetime) -> Iterator[Due]:
    # Every open order's expiry in one statement, without loading the orders.
    for order in measures.open_expiries(None, None):
        deadline = expiry_deadline(order, now)
        if deadline is None:
            continue
        recipients = relationship_members(order.case_id, order.requested_state)
        params: dict[str, object] = {"measure": order.kind, "date": deadline.due_on.isoformat()}
        if deadline.passed:
            yield Due(
                RULE_MEASURE,
                order.id,
                f"{deadline.due_on.isoformat()}:lapsed",
                NotificationKind.MEASURE_LAPSED.value,
                order.case_id,
                recipients,
                params,
                NoticeTarget.CASE_TIMELINE,
                str(deadline.case_id),
            )
            continue
        step = current_step(deadline.days_left, MEASURE_STEPS)
        if step is None:
            continue
        yield Due(
            RULE_MEASURE,
            order.id,
            f"{deadline.due_on.isoformat()}:{step}",
            NotificationKind.MEASURE_EXPIRING.value,
            order.case_id,
            recipients,
            {**params, "days": max(deadline.days_left, 0)},
            NoticeTarget.CASE_TIMELINE,
            str(deadline.case_id),
        )


def request_reminders(now: datetime) -> Iterator[Due]:
    for request in open_requests_everywhere():
        recipients: list[User] | None = None
        deadline = request_deadline(request, now)
        if deadline is not None:
            recipients = relationship_members(request.case_id, request.requested_state)
            params: dict[str, object] = {
                "request": request.kind,
                "date": deadline.due_on.isoformat(),
            }
            step = None if deadline.passed else current_step(deadline.days_left, REQUEST_STEPS)
            if deadline.passed:
                yield Due(
                    RULE_REQUEST_DEADLINE,
                    request.id,
                    f"{deadline.due_on.isoformat()}:passed",
                    NotificationKind.REQUEST_DEADLINE_PASSED.value,
                    request.case_id,
                    recipients,
                    params,
                    NoticeTarget.CASE_TIMELINE,
                    str(deadline.case_id),
                )
            elif step is not None:
                yield Due(
                    RULE_REQUEST_DEADLINE,
                    request.id,
                    f"{deadline.due_on.isoformat()}:{step}",
                    NotificationKind.REQUEST_DEADLINE_NEAR.value,
                    request.case_id,
                    recipients,
                    {**params, "days": max(deadline.days_left, 0)},
                    NoticeTarget.CASE_TIMELINE,
                    str(deadline.case_id),
                )
        waited = now - request.status_since
        if request.status in _WAITING_STATUSES and waited > timedelta(days=WAITING_DAYS):
            if recipients is None:
                recipients = relationship_members(request.case_id, request.requested_state)
            yield Due(
                RULE_REQUEST_WAITING,
                request.id,
                f"{request.status[:20]}@{int(request.status_since.timestamp())}",
                NotificationKind.REQUEST_WAITING.value,
                request.case_id,
                recipients,
                {"request": request.kind, "days": waited.days},
                NoticeTarget.CASE_TIMELINE,
                str(request.case_id),
            )


def ask_reminders(now: datetime) -> Iterator[Due]:
    """Open asks near their due date (3 days, 1 day, the day itself) and past it."""
    for ask in open_asks_everywhere():
        deadline = ask_deadline(ask, now)
        if deadline is None:
            continue
        step = None if deadline.passed else current_step(deadline.days_left, ASK_STEPS)
        if not deadline.passed and step is None:
            continue
        params: dict[str, object] = {"ask": ask.kind, "date": deadline.due_on.isoformat()}
        if deadline.passed:
            threshold, kind = "passed", NotificationKind.ASK_OVERDUE.value
        else:
            threshold, kind = str(step), NotificationKind.ASK_DUE.value
            params["days"] = max(deadline.days_left, 0)
        yield Due(
            RULE_ASK,
            ask.id,
            f"{deadline.due_on.isoformat()}:{threshold}",
            kind,
            ask.case_id,
            relationship_members(ask.case_id, ask.requested_state),
            params,
            NoticeTarget.CASE,
            str(ask.case_id),
        )


def court_date_reminders(now: datetime) -> Iterator[Due]:
    """Hearings and appeal deadlines of recognition proceedings, to both sides."""
    for deadline in court_deadlines(open_requests_everywhere(), now):
        step = None if deadline.passed else current_step(deadline.days_left, COURT_DATE_STEPS)
        if step is None:
            continue
        yield Due(
            RULE_COURT_DATE,
            deadline.object_id,
            f"{deadline.due_on.isoformat()}:{step}",
            _COURT_DATE_NOTICES[deadline.detail].value,
            deadline.case_id,
            relationship_members(deadline.case_id, deadline.requested_state),
            {"days": max(deadline.days_left, 0), "date": deadline.due_on.isoformat()},
            NoticeTarget.CASE_TIMELINE,
            str(deadline.case_id),
        )


def milestone_reminders(now: datetime) -> Iterator[Due]:
    """A return's follow-up milestones not yet met, to both sides of its relationship."""
    for deadline in milestone_deadlines(None, now):
        step = None if deadline.passed else current_step(deadline.days_left, COURT_DATE_STEPS)
        if step is None:
            continue
        yield Due(
            RULE_MILESTONE,
            deadline.object_id,
            f"{deadline.due_on.isoformat()}:{step}",
            NotificationKind.RETURN_MILESTONE_DUE.value,
            deadline.case_id,
            relationship_members(deadline.case_id, deadline.requested_state),
            {"days": max(deadline.days_left, 0), "date": deadline.due_on.isoformat()},
            NoticeTarget.CASE,
            str(deadline.case_id),
        )


def _last_active(user_id: int) -> datetime | None:
    """The last moment the user was seen signed in (a browser session or a token)."""
    seen = db.session.scalar(
        select(func.max(UserSession.last_seen_at)).where(UserSession.user_id == user_id)
    )
    used = db.session.scalar(
        select(func.max(AccessToken.last_used_at)).where(AccessToken.user_id == user_id)
    )
    moments = [as_utc(each) for each in (seen, used) if each is not None]
    return max(moments) if moments else None


def unread_message_notices(now: datetime, interval: timedelta) -> Iterator[Due]:
    """Members with messages that arrived after they were last seen and are still unread."""
    seats = db.session.execute(
        select(ChannelMember, Channel.case_id)
        .join(Channel, Channel.id == ChannelMember.channel_id)
        .where(ChannelMember.removed_at.is_(None))
        .order_by(ChannelMember.user_id, Channel.case_id)
    ).all()
    newest: dict[tuple[int, int], int] = {}
    users: dict[int, User] = {}
    last_active: dict[int, datetime | None] = {}
    for seat, case_id in seats:
        user = seat.user
        if not may_hold(user, seat):
            continue
        if user.id not in last_active:
            last_active[user.id] = _last_active(user.id)
        query = select(func.max(Message.id)).where(
            Message.channel_id == seat.channel_id,
            Message.seq > seat.read_seq,
            Message.sender_id != user.id,
        )
        seen = last_active[user.id]
        if seen is not None:
            query = query.where(Message.sent_at > seen)
        message_id = db.session.scalar(query)
        if message_id is None:
            continue
        users[user.id] = user
        key = (user.id, case_id)
        newest[key] = max(newest.get(key, 0), message_id)
    for (user_id, case_id), message_id in newest.items():
        if _sent_since(RULE_UNREAD, case_id, user_id, now - interval):
            continue
        yield Due(
            RULE_UNREAD,
            case_id,
            f"m{message_id}",
            NotificationKind.UNREAD_MESSAGES.value,
            case_id,
            [users[user_id]],
            {},
            NoticeTarget.CASE,
            str(case_id),
            in_app=False,
        )


def _state_number(code: str) -> int:
    """``reminders_sent`` names its object by a number: a State's alpha-3 code read as one."""
    return int.from_bytes(code.encode("ascii"), "big")


def stale_directory_reminders(now: datetime) -> Iterator[Due]:
    """Each active national administrator of a State with stale entries, once per 30 days."""
    report = stale_report(now)
    if not report:
        return
    admins = db.session.scalars(
        select(User)
        .where(
            User.role == Role.NATIONAL_ADMIN.value,
            User.active.is_(True),
            User.state_code.in_(list(report)),
        )
        .order_by(User.id)
    )
    for admin in admins:
        code = admin.state_code or ""
        number = _state_number(code)
        if _sent_since(RULE_STALE_DIRECTORY, number, admin.id, now - STALE_DIRECTORY_INTERVAL):
            continue
        state = db.session.get(State, code)
        assert state is not None  # noqa: S101 - the report names States that exist
        yield Due(
            RULE_STALE_DIRECTORY,
            number,
            f"{code}:{now.date().isoformat()}",
            NotificationKind.DIRECTORY_STALE.value,
            None,
            [admin],
            {
                "state": state.name(admin.recipient_locale),
                "count": len(report[code]),
            },
            NoticeTarget.STATE,
            code,
        )


# --- sending ---------------------------------------------------------------------------------


def _sent_since(rule: str, object_id: int, recipient_id: int, since: datetime) -> bool:
    """Whether the recipient had a reminder of this rule about this object after ``since``."""
    return (
        db.session.scalar(
            select(ReminderSent.id)
            .where(
                ReminderSent.rule == rule,
                ReminderSent.object_id == object_id,
                ReminderSent.recipient_id == recipient_id,
                ReminderSent.sent_at > since,
            )
            .limit(1)
        )
        is not None
    )


def _already_sent(due: Due, recipient_id: int) -> bool:
    return (
        db.session.scalar(
            select(ReminderSent.id).where(
                ReminderSent.rule == due.rule,
                ReminderSent.object_id == due.object_id,
                ReminderSent.threshold == due.threshold,
                ReminderSent.recipient_id == recipient_id,
            )
        )
        is not None
    )


def _send(due: Due, recipient: User, now: datetime) -> SentReminder | None:
    """Record the reminder's key first: a concurrent run that got there first wins, once."""
    if not recipient.active or _already_sent(due, recipient.id):
        return None
    try:
        with db.session.begin_nested():
            sent = ReminderSent(
                rule=due.rule,
                object_id=due.object_id,
                threshold=due.threshold,
                recipient_id=recipient.id,
                sent_at=now,
            )
            db.session.add(sent)
            db.session.flush()
    except IntegrityError:
        return None
    params = dict(due.params)
    if due.case_id is not None:
        params["reference"] = case_reference(due.case_id, recipient.state_code)
    notification = notifications.notify(
        recipient,
        due.kind,
        case_id=due.case_id,
        params=params,
        target=due.target,
        target_id=due.target_id,
        now=now,
        in_app=due.in_app,
    )
    sent.notification_id = notification.id
    db.session.flush()
    return SentReminder(
        due.rule, due.object_id, due.threshold, recipient.email, notification.subject
    )


def due_reminders(now: datetime, *, unread_interval: timedelta) -> list[Due]:
    return [
        *measure_reminders(now),
        *request_reminders(now),
        *ask_reminders(now),
        *court_date_reminders(now),
        *milestone_reminders(now),
        *unread_message_notices(now, unread_interval),
        *stale_directory_reminders(now),
    ]


def send_reminders(now: datetime, *, unread_interval: timedelta) -> list[SentReminder]:
    """Make every due reminder not made before; the caller commits, then sends the e-mail."""
    made: list[SentReminder] = []
    for due in due_reminders(now, unread_interval=unread_interval):
        for recipient in due.recipients:
            sent = _send(due, recipient, now)
            if sent is not None:
                made.append(sent)
    return made
