"""The monthly close, in each client's own schema.

A month's report moves open → in review → approved; a later approval of changed figures makes
it revised. What the client saw is a ``ReportVersion``: the snapshot document frozen at approval.
Snapshots themselves stay "as computed now", so late data shows up for staff at once while the
client keeps reading the approved version until staff approve the revision.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.months import Month

# Who approved, when it was the operator's command (``close_month``, no user).
APPROVED_BY_COMMAND = "close_month"


def approver_shown(name: str, *, staff: bool = False) -> str:
    """Who approved, for the reader: a person by their name; the operator's command (no person) never as
    "close_month" but as the agency, in its reader's words — a client reads "approved … by your agency", as
    every other page of theirs names it ("Not reviewed by your agency"), staff "by the agency"."""
    if name not in ("", APPROVED_BY_COMMAND):
        return name
    return str(_("the agency")) if staff else str(pgettext_lazy("who approved, to a client", "your agency"))


class MonthReport(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        REVISED = "revised", _("Revised")

    month = models.DateField(unique=True, help_text="first day of the month")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    in_review_since = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)
    # What restated an approved month since its last approval ("HubSpot corrected leads of 2026-10,
    # sync of 2026-11-03"): the revision's reason is proposed from it; cleared by the next approval.
    restated_by = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} {self.state}"


class ReportVersion(models.Model):
    """One approved version of a month's figures: the snapshot document as the client saw it."""

    month = models.DateField()
    number = models.PositiveIntegerField()
    document = models.JSONField()
    approved_at = models.DateTimeField()
    approved_by = models.BigIntegerField(null=True, blank=True)
    approved_by_name = models.CharField(max_length=150, blank=True, default="")
    reason = models.CharField(max_length=300, blank=True, default="", help_text="why the figures were revised")
    commentary = models.JSONField(default=dict, blank=True, help_text="the commentary's sections as approved")
    checks_reason = models.CharField(
        max_length=200, blank=True, default="", help_text="why it was approved with a high check unresolved"
    )
    checks_open = models.JSONField(default=list, blank=True, help_text="the checks left unresolved at approval (keys)")

    class Emails(models.TextChoices):
        """The email this approval owes the client (reports.services.month_approve): the month's page
        approves at once and a task builds the PDF and the email (reports.services.approval_emails_build)."""

        NONE = "", "nothing owed"  # nobody to email, a revision the client is not told of, or built with the approval
        PENDING = "pending", "being prepared"  # approved; the task has not built the email yet
        QUEUED = "queued", "in the outbox"  # built and queued in the outbox (sent by its drain)
        FAILED = "failed", "could not be prepared"  # the task failed: nobody was emailed; staff try again

    emails = models.CharField(max_length=8, choices=Emails.choices, blank=True, default="")
    emails_error = models.CharField(max_length=300, blank=True, default="", help_text="why the email could not be prepared")
    emails_at = models.DateTimeField(null=True, blank=True, help_text="when the email was queued or failed")

    class Meta:
        ordering = ["month", "number"]
        constraints = [models.UniqueConstraint(fields=["month", "number"], name="report_version_unique")]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} v{self.number}"


class Commentary(models.Model):
    """The account manager's words on a month: one current text per section, every save kept."""

    class Section(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        WINS = "wins", _("Wins")
        CONCERNS = "concerns", _("Concerns")
        NEXT_STEPS = "next_steps", _("Next steps")

    month = models.DateField()
    section = models.CharField(max_length=12, choices=Section.choices)
    text = models.TextField(blank=True, default="")
    author = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=150, blank=True, default="")
    written_at = models.DateTimeField()
    # Written by "Draft from the figures" (kpis.draft), not typed: a later draft may replace it,
    # while text a person wrote is never overwritten by a draft.
    drafted = models.BooleanField(default=False)

    class Meta:
        ordering = ["month", "section", "-written_at"]
        indexes = [models.Index(fields=["month", "section", "-written_at"], name="commentary_latest")]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} {self.section}"


class ShareLink(models.Model):
    """A read-only link to one approved month for people without an account.

    Only a SHA-256 of the token is stored; the link itself is shown once to the staff member who
    made it. Expired or revoked links answer 404, like links that never existed.
    """

    month = models.DateField()
    token_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True, default="")
    created_by_name = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} link {self.pk}"


class Acknowledgement(models.Model):
    """A client user marked a month's report as read."""

    month = models.DateField()
    user_id = models.BigIntegerField()
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "user_id"], name="acknowledgement_once")]


class Question(models.Model):
    """A client user's question on a month, and the agency's answer."""

    month = models.DateField(db_index=True)
    asked_by = models.BigIntegerField()
    asked_by_name = models.CharField(max_length=150)
    text = models.TextField()
    asked_at = models.DateTimeField()
    answer = models.TextField(blank=True, default="")
    answered_by_name = models.CharField(max_length=150, blank=True, default="")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return self.text[:60]


class CheckNote(models.Model):
    """A staff member resolved one of the month's checks (kpis.CheckResult) with a note.

    Kept as the month's history even if a later recompute no longer finds the check: the sentence
    is stored as it read then, in the language of who resolved it.
    """

    month = models.DateField(db_index=True)
    key = models.CharField(max_length=60)
    subject = models.CharField(max_length=200, blank=True, default="")
    sentence = models.TextField()
    note = models.CharField(max_length=300)
    author = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=150, blank=True, default="")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "-written_at"]

    def __str__(self) -> str:
        return f"{Month.of(self.month)} {self.key}: {self.note[:40]}"
