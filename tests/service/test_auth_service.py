"""Accounts, second factor, sessions and tokens at the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from network.audit.models import AuditRecord
from network.audit.service import verify_chain
from network.auth import passwords
from network.auth.accounts import create_user, set_active
from network.auth.enrolment import redeem_enrolment_code, reset_sign_in
from network.auth.models import AccessToken, RecoveryCode, User
from network.auth.sessions import (
    end_all_sessions,
    resume_session,
    sign_out_everywhere,
    start_session,
)
from network.auth.signin import change_password, check_second_factor, confirm_identity
from network.auth.tokens import authenticate_token, create_token, revoke_token
from network.auth.totp import enrol_totp, new_totp_secret
from network.core import clock
from network.core.errors import (
    AuthenticationFailed,
    Conflict,
    InvalidInput,
    PermissionDenied,
)
from network.directory.affiliation import Affiliation
from network.extensions import db
from network.wiring import signin_throttle
from tests.conftest import PASSWORD, Cast

pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def enrol(user: User) -> str:
    secret = new_totp_secret()
    now = clock.now() - timedelta(minutes=5)
    enrol_totp(user, secret, pyotp.TOTP(secret).at(now), now=now)
    db.session.commit()
    return secret


def test_password_is_stored_as_argon2id_never_in_clear(cast: Cast):
    stored = db.session.get(User, cast.amina.id)
    assert stored.password_hash.startswith("$argon2id$")
    assert PASSWORD not in stored.password_hash


@pytest.mark.parametrize("password", ["short", "password12345", "qwertyuiop123", "aminata123456"])
def test_weak_or_common_passwords_are_refused(cast: Cast, password: str):
    with pytest.raises(InvalidInput) as refused:
        change_password(cast.amina, PASSWORD, password, now=clock.now())
    assert "password" in refused.value.errors


def test_a_long_passphrase_of_200_characters_is_accepted(cast: Cast):
    long_one = "correct horse battery staple asset recovery " * 4 + "x" * 20
    assert len(long_one) > 64
    change_password(cast.amina, PASSWORD, long_one, now=clock.now())
    db.session.commit()
    assert passwords.verify_password(cast.amina.password_hash, long_one)


def test_duplicate_email_is_a_conflict(cast: Cast):
    with pytest.raises(Conflict):
        create_user(
            None,
            email="AMINA@civ.example",
            name="Copy",
            role="practitioner",
            affiliation=Affiliation("CIV"),
            password=PASSWORD,
            now=clock.now(),
        )


@pytest.mark.parametrize(
    ("role", "state", "body"),
    [
        ("network_admin", "CIV", None),
        ("observer", "CIV", None),
        ("practitioner", None, None),
        ("practitioner", "XXX", None),
    ],
)
def test_role_and_affiliation_must_fit(cast: Cast, role: str, state: str | None, body: int | None):
    with pytest.raises(InvalidInput):
        create_user(
            None,
            email="new@civ.example",
            name="New",
            role=role,
            affiliation=Affiliation(state, body_id=body),
            password=PASSWORD,
            now=clock.now(),
        )


def test_national_admin_creates_users_of_own_state_only(cast: Cast):
    made = create_user(
        cast.yao,
        email="kofi@civ.example",
        name="Kofi",
        role="practitioner",
        affiliation=Affiliation("CIV"),
        now=clock.now(),
    )
    assert made.state_code == "CIV"
    with pytest.raises(PermissionDenied):
        create_user(
            cast.yao,
            email="hans@che.example",
            name="Hans",
            role="practitioner",
            affiliation=Affiliation("CHE"),
            now=clock.now(),
        )


def _national_admin(actor: User | None, email: str, state: str) -> User:
    return create_user(
        actor,
        email=email,
        name="New Admin",
        role="national_admin",
        affiliation=Affiliation(state),
        now=clock.now(),
    )


def test_the_secretariat_creates_a_states_first_national_administrator_only_while_it_has_none(
    cast: Cast,
):
    with pytest.raises(PermissionDenied) as refused:
        _national_admin(cast.secretariat, "second@civ.example", "CIV")  # Yao is CIV's
    assert "first national administrator" in refused.value.message
    first = _national_admin(cast.secretariat, "first@che.example", "CHE")
    db.session.commit()
    assert first.role == "national_admin"
    with pytest.raises(PermissionDenied):  # awaiting enrolment, it still counts
        _national_admin(cast.secretariat, "again@che.example", "CHE")
    with pytest.raises(PermissionDenied):  # nor any other user of a State
        create_user(
            cast.secretariat,
            email="p@fra.example",
            name="P",
            role="practitioner",
            affiliation=Affiliation("FRA"),
            now=clock.now(),
        )
    # Once Russia's only one is deactivated (by the operator), Russia has none.
    cast.olga.active = False
    db.session.commit()
    assert _national_admin(cast.secretariat, "next@rus.example", "RUS").state_code == "RUS"


def test_only_a_states_own_national_administrators_reset_or_deactivate_its_users(cast: Cast):
    for target in (cast.yao, cast.amina):
        with pytest.raises(PermissionDenied):
            reset_sign_in(cast.secretariat, target.id, now=clock.now(), valid_hours=72)
        with pytest.raises(PermissionDenied):
            set_active(cast.secretariat, target.id, False, now=clock.now())
    colleague = _national_admin(cast.yao, "second@civ.example", "CIV")
    set_active(colleague, cast.yao.id, False, now=clock.now())
    db.session.commit()
    assert cast.yao.active is False


def test_the_secretariat_keeps_observers_and_network_administrators(cast: Cast):
    helper = create_user(
        cast.secretariat,
        email="desk@arnet.example",
        name="Desk",
        role="network_admin",
        affiliation=Affiliation(),
        now=clock.now(),
    )
    reset_sign_in(cast.secretariat, cast.observer.id, now=clock.now(), valid_hours=72)
    set_active(cast.secretariat, helper.id, False, now=clock.now())
    db.session.commit()
    assert helper.active is False


def test_an_operator_at_the_command_line_still_creates_any_account(cast: Cast):
    assert _national_admin(None, "bootstrap@civ.example", "CIV").state_code == "CIV"


def test_totp_code_cannot_be_used_twice(cast: Cast, app):
    secret = enrol(cast.lea)
    now = clock.now()
    code = pyotp.TOTP(secret).at(now)
    check_second_factor(
        cast.lea, code, now=now, client_address="198.51.100.7", throttle=signin_throttle()
    )
    db.session.commit()
    with pytest.raises(AuthenticationFailed) as replay:
        check_second_factor(
            cast.lea, code, now=now, client_address="198.51.100.7", throttle=signin_throttle()
        )
    assert "already been used" in replay.value.message


def test_recovery_code_works_once(cast: Cast, app):
    secret = new_totp_secret()
    now = clock.now()
    codes = enrol_totp(cast.lea, secret, pyotp.TOTP(secret).at(now), now=now)
    db.session.commit()
    assert len(codes) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert all(code.replace("-", "") not in stored for code in codes)
    check_second_factor(
        cast.lea, codes[3], now=now, client_address="x", throttle=signin_throttle()
    )
    db.session.commit()
    with pytest.raises(AuthenticationFailed):
        check_second_factor(
            cast.lea, codes[3], now=now, client_address="x", throttle=signin_throttle()
        )


def test_session_expires_after_idle_time_and_absolutely(cast: Cast):
    start = clock.now()
    raw = start_session(
        cast.amina, now=start, absolute_hours=12, client_address=None, user_agent=None
    )
    db.session.commit()
    assert resume_session(raw, now=start + timedelta(minutes=29), idle_minutes=30)
    # Touched at 29 minutes, so still alive 29 minutes later, then idle for 31 minutes.
    assert resume_session(raw, now=start + timedelta(minutes=58), idle_minutes=30)
    assert (
        resume_session(raw, now=start + timedelta(minutes=89), idle_minutes=30) is None
    )

    raw2 = start_session(
        cast.amina, now=start, absolute_hours=12, client_address=None, user_agent=None
    )
    moment = start
    for _ in range(26):  # active every 29 minutes for more than 12 hours
        moment += timedelta(minutes=29)
        alive = resume_session(raw2, now=moment, idle_minutes=30)
        if moment - start >= timedelta(hours=12):
            assert alive is None
            break
        assert alive is not None
    else:
        pytest.fail("absolute expiry never reached")


def test_sign_out_everywhere_ends_every_session(cast: Cast):
    now = clock.now()
    raws = [
        start_session(
            cast.amina, now=now, absolute_hours=12, client_address=None, user_agent=None
        )
        for _ in range(3)
    ]
    end_all_sessions(cast.amina, now=now)
    db.session.commit()
    assert all(resume_session(r, now=now, idle_minutes=30) is None for r in raws)


def test_signing_out_everywhere_revokes_every_live_token_too(cast: Cast):
    now = clock.now()
    raw_session = start_session(
        cast.amina, now=now, absolute_hours=12, client_address=None, user_agent=None
    )
    live, raw_live = create_token(cast.amina, "live", 5, now=now, max_days=90)
    gone, _raw = create_token(cast.amina, "gone", 5, now=now, max_days=90)
    revoke_token(cast.amina, gone.id, now=now)
    _theirs, raw_theirs = create_token(cast.lea, "lea's", 5, now=now, max_days=90)

    revoked = sign_out_everywhere(cast.amina, now=now)
    db.session.commit()

    assert revoked == [live]  # the one that still worked, not the one already revoked
    assert resume_session(raw_session, now=now, idle_minutes=30) is None
    with pytest.raises(AuthenticationFailed):
        authenticate_token(raw_live, now=now)
    assert authenticate_token(raw_theirs, now=now).id == cast.lea.id


def test_confirming_identity_without_an_authenticator_where_one_is_required_is_refused(
    cast: Cast,
):
    with pytest.raises(PermissionDenied):
        confirm_identity(
            cast.amina,
            PASSWORD,
            None,
            now=clock.now(),
            client_address="198.51.100.7",
            throttle=signin_throttle(),
            second_factor_required=True,
            demo_password_only=False,
        )


def test_token_is_stored_as_hash_and_acts_as_its_user(cast: Cast):
    now = clock.now()
    _token, raw = create_token(cast.amina, "case system", 30, now=now, max_days=366)
    db.session.commit()
    assert raw.startswith("arnet_")
    assert db.session.scalar(select(func.count()).where(AccessToken.token_hash == raw)) == 0
    assert authenticate_token(raw, now=now).id == cast.amina.id


def test_expired_and_revoked_tokens_are_refused(cast: Cast):
    now = clock.now()
    token, raw = create_token(cast.amina, "short", 1, now=now, max_days=366)
    db.session.commit()
    with pytest.raises(AuthenticationFailed):
        authenticate_token(raw, now=now + timedelta(days=1, seconds=1))
    revoke_token(cast.amina, token.id, now=now)
    db.session.commit()
    with pytest.raises(AuthenticationFailed):
        authenticate_token(raw, now=now)


def test_admin_reset_gives_the_user_a_code_and_clears_every_credential(cast: Cast):
    enrol(cast.amina)
    now = clock.now()
    _token, raw_token = create_token(cast.amina, "t", 5, now=now, max_days=366)
    user, code, revoked = reset_sign_in(
        cast.yao, cast.amina.id, now=now, valid_hours=72
    )
    db.session.commit()
    assert [token.name for token in revoked] == ["t"]
    assert user.password_hash is None
    assert user.totp_secret_sealed is None
    assert code not in (user.enrolment_code_hash or "")
    with pytest.raises(AuthenticationFailed):
        authenticate_token(raw_token, now=now)
    redeemed = redeem_enrolment_code(
        user.email, code, "A-fresh-Passphrase-for-Amina", now=now
    )
    db.session.commit()
    assert redeemed.password_hash is not None
    with pytest.raises(AuthenticationFailed):
        redeem_enrolment_code(user.email, code, "Another-Passphrase-2026", now=now)


def test_national_admin_cannot_reset_another_states_user(cast: Cast):
    with pytest.raises(PermissionDenied):
        reset_sign_in(cast.yao, cast.lea.id, now=clock.now(), valid_hours=72)


def test_audit_chain_holds_every_change_and_is_whole(cast: Cast):
    count, broken = verify_chain()
    assert broken is None
    assert count == db.session.scalar(select(func.count(AuditRecord.id)))
    assert count >= 8  # one per user created by the cast
