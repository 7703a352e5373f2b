"""Reads of the close board: every client the viewer may open × the last 13 months, from the public
mirror of the close (portfolio.ClientMonthClose) alone — no client schema is opened, so 500 clients
cost the same few queries as five (bench/close_board.py).

A month is **clean** when nothing in it needs a person's look before it goes to the client: it is
in review, its figures are computed, its checks ran and none is open, no client question waits, no
scheduled source of the client is failing. A month whose checks never ran is not clean ("unchecked").
Clean months can be approved together from the board, in the background (reports.services_bulk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, Case, Count, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from agency.models import Client, Membership, User
from agency.months import Month
from agency.selectors import clients_for_user
from portfolio.models import (
    BulkApproval,
    BulkApprovalItem,
    ClientMonthChecks,
    ClientMonthClose,
    ClientMonthSummary,
    SourceFailure,
)
from portfolio.selectors import summary_has_data
from reports.selectors import report_recipients_by_client

WINDOW = 13  # months shown per client: the month being closed and the twelve before it
PAGE_SIZE = 50  # an account manager's clients on one page
FILTERS = ("all", "waiting", "attention", "clean", "unchecked")
State = ClientMonthClose.State


def board_filters(params: Mapping[str, str]) -> dict[str, Any]:
    """The board's choices a person made (Show, Only my clients, Find a client), read from a query:
    the board's own, or a month page's opened from it, so that the month page's "Next client waiting"
    goes through the same clients the board showed."""
    show = params.get("show", "all")
    query = params.get("q", "").strip()[:100]
    return {"show": show if show in FILTERS else "all", "mine": params.get("mine") == "1", "query": query}


def board_query(*, show: str = "all", mine: bool = False, query: str = "") -> str:
    """Those choices as a query string, the ones not at their default only ("" for none)."""
    pairs = {"show": "" if show == "all" else show, "mine": "1" if mine else "", "q": query}
    return urlencode({key: value for key, value in pairs.items() if value})


def board_next_tail(query: str) -> str:
    """What a hand-off link's ``next`` path gets after it to carry the board's choices ("" for none)."""
    return quote("?" + query, safe="") if query else ""


def board_clients_checks_open(*, user: User, month: dt.date) -> list[Client]:
    """The clients ``user`` may open whose ``month`` has a check open (the public mirror's counts),
    by name: the ones "Resolve a check for several clients" reads (reports.selectors.checks_open_across)."""
    return list(
        clients_for_user(user=user).filter(month_checks__month=month, month_checks__open__gt=0).order_by("name", "pk")
    )


def board_months(*, now: dt.datetime) -> list[dt.date]:
    """The board's months, newest first: the month that ended last (UTC) and the 12 before it."""
    last = Month.of(now.date()) - 1
    return [(last - i).first_day for i in range(WINDOW)]


def _in_review() -> Q:
    """In review with something recorded in it: a month put in review with nothing in it (before
    "Waiting for data" existed, in an older database) waits for its data, not for the agency, as its
    page says (reports.selectors.month_waits_for_data: never approved, nothing recorded)."""
    return Q(this__state=State.IN_REVIEW) & (summary_has_data("summary__") | Q(this__approved_at__isnull=False))


def _waiting() -> Q:
    return _in_review() | Q(this__revision_pending=True) | Q(this__open_questions__gt=0)


def _clean() -> Q:
    # Issue #21's mirror: the checks ran (a row, written by every run, 0s included) and none is open.
    # A month whose checks never ran ("Not run yet") is not known to be clean: nobody looked at it.
    ran_none_open = Q(checks__total__isnull=False, checks__open=0)
    return _in_review() & Q(this__figures_at__isnull=False, this__open_questions=0, failing=False) & ran_none_open


def _attention() -> tuple[Q, Q]:
    """Waiting for review and not clean: what a person must open (a check open, a question, a
    revision, a failing source, checks never run). With 46 clean months among 50 waiting, the four
    that need a look were scattered through a 3,600 px table (12,000 px on a phone), and "Next client
    waiting" went through the clean ones the bulk approval does in one go. (waiting, clean): the
    months of the first that are not of the second; clean months are all waiting ones."""
    return _waiting(), _clean()


def _unchecked() -> Q:
    """In review with its checks never run (a month computed before the checks existed): not clean,
    its own filter, so that it is found and its figures recomputed (which runs them) or read by hand."""
    return _in_review() & Q(checks__total__isnull=True)


@dataclass
class Cell:
    """One client's month as the board shows it."""

    month: dt.date
    state: str  # "" when the month is not in the close (before the close existed, or not ended)
    revision_pending: bool = False
    open_questions: int = 0
    commentary_state: str = "none"
    figures_at: dt.datetime | None = None
    in_review_since: dt.datetime | None = None
    approved_at: dt.datetime | None = None  # the first approval (None: never approved)
    has_data: bool = True  # anything recorded in the month (ClientMonthSummary.has_data: as the month's page says)
    emails_failed: bool = False  # approved, but its email could not be prepared (the month's page tries again)

    @property
    def waiting_days(self) -> int | None:
        """Days in review, or, for a revision waiting, since the restated figures were computed
        (what it waits on): never "Not waiting" beside "Revision waiting"."""
        if self.revision_pending and self.figures_at is not None:
            return (timezone.now() - self.figures_at).days
        if self.status != "in_review" or self.in_review_since is None:
            return None
        return (timezone.now() - self.in_review_since).days

    @property
    def status(self) -> str:
        """The board's words: open, in_review, approved (approved or revised), revision (waits), and
        no_data: a month never approved with nothing recorded in it (a new client before its first
        import), which reports.services.month_review_start keeps out of review until its data is in.
        A month put in review with nothing in it before that rule (an older database) reads no_data
        too, as its page does (reports.selectors.month_waits_for_data), and cannot be approved."""
        if self.revision_pending:
            return "revision"
        if self.state == State.REVISED:
            return "approved"
        if self.state in (State.OPEN, State.IN_REVIEW) and self.approved_at is None and not self.has_data:
            return "no_data"
        return self.state or "none"


@dataclass
class Row:
    client: Client
    cell: Cell  # the chosen month
    history: list[Cell] = field(default_factory=list)  # every month of the window, newest first
    failing_sources: bool = False
    checks_open: int = 0  # issue #21's mirror (portfolio.ClientMonthChecks): unresolved checks
    checks_high: int = 0
    checks_total: int | None = None  # None: the month's checks never ran
    first_close: dt.date | None = None  # the client's first month in the close (None: none yet)

    def before_first(self, month: dt.date) -> bool:
        """Whether ``month`` is out of the close because it came before the client's first report."""
        return self.first_close is None or month < self.first_close

    @property
    def unchecked(self) -> bool:
        """In review with its checks never run ("Not run yet", the board's filter ``unchecked``): not
        clean for that alone, so the board says how to run them."""
        return self.cell.status == "in_review" and self.checks_total is None

    @property
    def clean(self) -> bool:
        c = self.cell
        return (
            c.status == "in_review"
            and c.figures_at is not None
            and not c.open_questions
            and not self.failing_sources
            and self.checks_total is not None  # the checks ran: "Not run yet" is not clean
            and not self.checks_open
        )


def board_clients(*, user: User, month: dt.date, show: str = "all", mine: bool = False, query: str = "") -> QuerySet[Client]:
    """The clients of the board for ``month`` with that month's close row joined in (``this__…``),
    filtered: ``waiting`` (in review, a revision to approve or a question), ``attention`` (waiting and
    not clean: what needs a person), ``clean``, ``unchecked``
    (in review, its checks never ran), ``mine``
    (assigned to the viewer, admins included), a name; by name. One query when evaluated."""
    clients = (
        clients_for_user(user=user)
        .annotate(
            this=FilteredRelation("month_closes", condition=Q(month_closes__month=month)),
            checks=FilteredRelation("month_checks", condition=Q(month_checks__month=month)),
            # A month not in the close still has figures (the client reads them): their date from the
            # portfolio's summary, so the board never says "no figures yet" beside a computed month.
            summary=FilteredRelation("month_summaries", condition=Q(month_summaries__month=month)),
            failing=Exists(SourceFailure.objects.filter(client=OuterRef("pk"))),
        )
        .annotate(
            c_state=F("this__state"),
            c_revision=F("this__revision_pending"),
            c_questions=F("this__open_questions"),
            c_commentary=F("this__commentary_state"),
            c_figures=Coalesce(F("this__figures_at"), F("summary__computed_at")),
            c_since=F("this__in_review_since"),
            c_approved=F("this__approved_at"),
            c_emails_failed=F("this__emails_failed"),
            c_checks_open=F("checks__open"),
            c_checks_high=F("checks__open_high"),
            c_checks_total=F("checks__total"),
        )
    )
    if mine:
        clients = clients.filter(pk__in=Membership.objects.filter(user=user).values("client_id"))
    if query:
        clients = clients.filter(Q(name__icontains=query) | Q(slug__icontains=query))
    if show == "waiting":
        clients = clients.filter(_waiting())
    elif show == "attention":
        # Negated joins (~Q over the FilteredRelations) would drop the months with no row: annotated.
        waiting, clean = _attention()
        is_clean = Case(When(clean, then=Value(True)), default=Value(False), output_field=BooleanField())
        clients = clients.filter(waiting).annotate(c_is_clean=is_clean).filter(c_is_clean=False)
    elif show == "clean":
        clients = clients.filter(_clean())
    elif show == "unchecked":
        clients = clients.filter(_unchecked())
    return clients.order_by("name", "pk")


def board_page(
    *, user: User, month: dt.date, months: list[dt.date], show: str = "all", mine: bool = False, query: str = "", page: int = 1
) -> tuple[Page, list[Row]]:
    """One page of the board: the clients (count + one query) and their window's months (one query)."""
    # Each client's first month in the close: the months before it are "before the first report".
    first = ClientMonthClose.objects.filter(client=OuterRef("pk")).order_by("month").values("month")[:1]
    clients = board_clients(user=user, month=month, show=show, mine=mine, query=query).annotate(c_first=Subquery(first))
    paginator = Paginator(clients, PAGE_SIZE)
    current = paginator.get_page(page)
    clients = list(current.object_list)
    cells: dict[int, dict[dt.date, Cell]] = {}
    for row in ClientMonthClose.objects.filter(client__in=[c.pk for c in clients], month__in=months).values(
        "client_id", "month", "state", "revision_pending", "open_questions", "commentary_state", "figures_at", "in_review_since",
        "approved_at", "emails_failed",
    ):
        client_id = row.pop("client_id")
        cells.setdefault(client_id, {})[row["month"]] = Cell(**row)
    # Which of those months have anything recorded (the portfolio's summary of each snapshot, public,
    # judged as the month's page judges it): an open month without reads "Waiting for data", not "Open".
    with_data = set(
        ClientMonthSummary.objects.filter(summary_has_data(), client__in=[c.pk for c in clients], month__in=months)
        .values_list("client_id", "month")
    )
    for client_id, by_month in cells.items():
        for cell in by_month.values():
            cell.has_data = (client_id, cell.month) in with_data
    rows = []
    for client in clients:
        mine_cells = cells.get(client.pk, {})
        cell = Cell(
            month=month,
            state=client.c_state or "",
            revision_pending=bool(client.c_revision),
            open_questions=client.c_questions or 0,
            commentary_state=client.c_commentary or "none",
            figures_at=client.c_figures,
            in_review_since=client.c_since,
            approved_at=client.c_approved,
            has_data=(client.pk, month) in with_data,
            emails_failed=bool(client.c_emails_failed),
        )
        rows.append(
            Row(
                client=client,
                cell=cell,
                history=[mine_cells.get(m) or Cell(month=m, state="") for m in months],
                failing_sources=client.failing,
                checks_open=client.c_checks_open or 0,
                checks_high=client.c_checks_high or 0,
                checks_total=client.c_checks_total,
                first_close=client.c_first,
            )
        )
    return current, rows


# What the board's cached table holds beyond the figures: its markup. The table is cached for an
# hour under a stamp of the data only (board_stamp), so a deploy that changes the markup would serve
# the old table until it expired: bump this when reports/board.html's table or _strips' squares
# change (2: the board's month square marked data-board-month, static/js/board.js's tab stop;
# 4: the open checks a link to the month's checks; 5: the links carry the board's filters; 6: a month
# before the client's first report says so; 7: a month out of the close in words, not a badge;
# 8: a cell's words in a .said span, lower case after a phone card's label in Spanish;
# 9: in English too, and "Waiting: no", "Figures computed: not yet"; 10: "Waiting for data"; 11: "Waiting
# for data" judged as the month's page judges it, from the summary's has_data: email results count;
# 12: a month put in review with nothing recorded in it reads "Waiting for data" too; 13: the header's
# box that ticks every clean month of the page; 14: with its words, in sight on a phone; 15: a month
# whose checks never ran is not clean: no tick, its count and filter "Checks not run yet"; 16: such a
# month's "Not run yet" a link to it, and a hint saying how to run them; the bulk button counts the
# ticked months, its words for each count in #approve-words; 17: the filter "Needs a look" and its count;
# 18: on a phone a row per client (name, state, checks, days waiting), the rest folded under "More"; under
# "Needs a look" the link that resolves one check for several clients);
# 19: "Figures computed" written as every date of the language ("7 dic 2026", not "07/12/2026"); the hint
# names the month page's link as it reads, "Read the report"; 20: "Approved, but not emailed", a link to
# the month, beside an approved month's state.
BOARD_LAYOUT = "20"


def board_stamp(*, user: User) -> str:
    """What the board's table depends on, in one round trip of light aggregates: the close mirror,
    the clients (names, settings), the user's assignments and the failing sources. The rendered
    table is cached under it (reports.views_board), so a board nobody changed costs one query.
    The mirror's rows are summed as hashes of their change times, not only their latest: a
    change stamped earlier than another row's (clocks of two web servers) still changes it."""
    close, client, membership, failure, checks = (
        ClientMonthClose._meta.db_table,
        Client._meta.db_table,
        Membership._meta.db_table,
        SourceFailure._meta.db_table,
        ClientMonthChecks._meta.db_table,
    )
    sql = f"""
        SELECT (SELECT count(*) || ':' || coalesce(sum(hashtext(id::text || updated_at::text)::bigint), 0) FROM {close}),
               (SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') FROM {client}),
               (SELECT count(*) || ':' || coalesce(max(id)::text, '') FROM {membership} WHERE user_id = %s),
               (SELECT count(*) || ':' || coalesce(max(failed_at)::text, '') FROM {failure}),
               (SELECT count(*) || ':' || coalesce(sum(hashtext(id::text || updated_at::text)::bigint), 0) FROM {checks})
    """  # table names from the models, the value as a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        return "|".join(cursor.fetchone())


def board_counts(*, user: User, month: dt.date, mine: bool = False) -> dict[str, Any]:
    """How many clients each filter shows for ``month`` (the filter buttons' numbers): one query."""
    clients = board_clients(user=user, month=month, mine=mine)
    return clients.aggregate(
        all=Count("pk"),
        waiting=Count("pk", filter=_waiting()),
        clean=Count("pk", filter=_clean()),
        unchecked=Count("pk", filter=_unchecked()),
    )


def board_picks(*, user: User, picks: list[str]) -> tuple[list[tuple[Client, dt.date, dt.datetime | None]], list[str]]:
    """The months a bulk approval names (``slug|YYYY-MM|figures computed at``), kept only for
    clients ``user`` may open; returns them and the values that were not understood."""
    parsed: list[tuple[str, dt.date, dt.datetime | None]] = []
    bad: list[str] = []
    for value in picks[:500]:
        slug, _sep, rest = value.partition("|")
        month_text, _sep, stamp = rest.partition("|")
        try:
            month = Month.parse(month_text).first_day
            figures_at = dt.datetime.fromisoformat(stamp) if stamp else None
        except ValueError:
            bad.append(value)
            continue
        if figures_at is not None and figures_at.tzinfo is None:
            bad.append(value)
            continue
        parsed.append((slug, month, figures_at))
    clients = {c.slug: c for c in clients_for_user(user=user).filter(slug__in=[slug for slug, _m, _f in parsed])}
    items = []
    for slug, month, figures_at in parsed:
        if slug in clients:
            items.append((clients[slug], month, figures_at))
        else:
            bad.append(slug)
    return items, bad


def board_confirmation(*, items: list[tuple[Client, dt.date, dt.datetime | None]]) -> list[dict[str, Any]]:
    """What the confirmation lists for each picked month: its close row as the board read it, and
    whom its report will be emailed to (nobody: published in the portal only)."""
    rows = {
        (r.client_id, r.month): r
        for r in ClientMonthClose.objects.filter(client__in=[c.pk for c, _m, _f in items], month__in={m for _c, m, _f in items})
    }
    recipients = report_recipients_by_client(clients=[client for client, _m, _f in items])
    return [
        {"client": client, "month": month, "figures_at": figures_at, "row": rows.get((client.pk, month)),
         "recipients": recipients[client.pk]}
        for client, month, figures_at in items
    ]


def board_next_waiting(
    *, user: User, client: Client, month: dt.date, show: str = "all", mine: bool = False, query: str = ""
) -> tuple[Client | None, int]:
    """The client whose ``month`` waits for the agency next after ``client`` in the board's order
    (by name; after the last, the first again), and how many other clients' months wait: the
    month's page offers it, so an account manager goes from one approval to the next client in one
    click instead of back through the console and the board. Among the clients the board showed
    (its filters: ``show``, ``mine``, ``query``), not all of them. One query, public schema only."""
    ordered = list(
        board_clients(user=user, month=month, show=show, mine=mine, query=query)
        .annotate(waits=Case(When(_waiting(), then=Value(True)), default=Value(False), output_field=BooleanField()))
        .only("pk", "name", "slug")
    )
    here = next((i for i, c in enumerate(ordered) if c.pk == client.pk), -1)
    waiting = [c for c in ordered[here + 1 :] + ordered[: here + 1] if c.waits and c.pk != client.pk]
    return (waiting[0] if waiting else None), len(waiting)


def bulk_progress(*, user: User, bulk_id: int) -> dict[str, Any] | None:
    """Where a bulk approval ``user`` started stands (None: not theirs, or no such): its months
    approved so far (emailed, or published in the portal only), refused and why, still queued,
    and whether it is done. Two queries; the board polls it while months are queued."""
    bulk = BulkApproval.objects.filter(pk=bulk_id, user=user).first()
    if bulk is None:
        return None
    items = list(BulkApprovalItem.objects.filter(bulk=bulk).select_related("client").order_by("client__name", "month"))
    approved = [i for i in items if i.state == BulkApprovalItem.State.APPROVED]
    refused = [i for i in items if i.state == BulkApprovalItem.State.REFUSED]
    return {
        "bulk": bulk,
        "total": len(items),
        "approved": approved,
        "emailed": [i for i in approved if i.emailed],
        "published": [i for i in approved if not i.emailed],
        "refused": refused,
        "decided": len(approved) + len(refused),
        "queued": len(items) - len(approved) - len(refused),
        "done": len(approved) + len(refused) == len(items),
    }
