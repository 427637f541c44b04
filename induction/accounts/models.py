"""People and the organisations they belong to."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from induction.database import UTCDateTime, utcnow
from induction.extensions import db


class Role(StrEnum):
    LEARNER = "learner"
    MANAGER = "manager"
    ADMIN = "admin"


class Audience(StrEnum):
    COUNCILLOR = "councillor"
    OFFICER = "officer"
    AFFILIATE = "affiliate"


class Category(StrEnum):
    FULL_MEMBER = "full_member"
    ASSOCIATE = "associate"
    AFFILIATE = "affiliate"
    SUPPORTER = "supporter"


class Subtype(StrEnum):
    TOWN_PARISH_COMMUNITY = "town_parish_community"
    OPPOSITION_GROUP = "opposition_group"


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(20), default=Category.FULL_MEMBER.value)
    subtype: Mapped[str | None] = mapped_column(String(40))
    join_code: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    people: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.LEARNER.value)
    audience: Mapped[str] = mapped_column(String(20), default=Audience.OFFICER.value)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    start_date: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(back_populates="people")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_manager(self) -> bool:
        return self.role == Role.MANAGER

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email!r} {self.role}>"
