"""Reads of the public schema: who may see which client."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agency.models import AgencyBrand, Client, Domain, DomainClaim, Membership, User
from agency.outbox import PUBLIC, attention_shown


def clients_ready() -> QuerySet[Client]:
    """Clients whose schema is migrated, by id: beat can fire while a new client is still provisioning."""
    return Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(is_ready=True).order_by("pk")


def clients_for_user(*, user: User) -> QuerySet[Client]:
    """The clients a user may open: all for admins, assigned ones for staff, one for a client."""
    clients = Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME)
    if not user.is_authenticated:
        return clients.none()
    if user.is_agency_admin:
        return clients
    # A subquery, not a join: counts annotated on the result (staff, client users) must see every
    # membership of the client, not only the row that matched this user.
    return clients.filter(pk__in=Membership.objects.filter(user=user).values("client_id"))


def client_for_user(*, user: User, slug: str) -> Client | None:
    """The client ``slug`` if ``user`` may open it: None for one that is not theirs as for one that
    does not exist, so that a page says "not found" alike."""
    return clients_for_user(user=user).filter(slug=slug).first()


def clients_by_name(*, user: User, besides: Client | None = None) -> QuerySet[Client]:
    """The clients ``user`` may open, by name (a choice of clients), without ``besides``."""
    clients = clients_for_user(user=user)
    return (clients.exclude(pk=besides.pk) if besides is not None else clients).order_by("name")


def clients_console_list(*, user: User, query: str = "") -> QuerySet[Client]:
    """The console's client table: the clients ``user`` may open with their staff and client-user
    counts (aggregated in the query), those whose name or slug holds ``query`` when one is given; by
    name (a GROUP BY drops the model's ordering: a client just added showed up anywhere)."""
    clients = clients_for_user(user=user).annotate(
        staff_count=Count("memberships", filter=Q(memberships__user__role=User.Role.STAFF)),
        user_count=Count("memberships", filter=Q(memberships__user__role=User.Role.CLIENT)),
    ).order_by(Lower("name"), "slug")
    return clients.filter(Q(name__icontains=query) | Q(slug__icontains=query)) if query else clients


def clients_by_ids(*, ids: list[int]) -> list[Client]:
    """Clients by id, whoever may open them (the caller refuses those not the user's, by name)."""
    return list(Client.objects.filter(pk__in=ids))


def client_by_slug(*, slug: str) -> Client | None:
    """Any client by slug (never the public tenant); the caller checks the user may open it."""
    return Client.objects.exclude(schema_name=settings.PUBLIC_SCHEMA_NAME).filter(slug=slug).first()


def client_domains_list(*, client: Client) -> QuerySet[Domain]:
    """The hosts that open the client's portal (its console page lists them)."""
    return Domain.objects.filter(tenant=client)


def domain_claims_pending(*, client: Client) -> QuerySet[DomainClaim]:
    """The client's custom domains still waiting for their TXT record."""
    return DomainClaim.objects.filter(client=client, verified_at__isnull=True)


def domain_claim_pending_get(*, client: Client, claim_id: int) -> DomainClaim | None:
    """One of the client's claims still to verify (a verified one is no longer checked)."""
    return domain_claims_pending(client=client).filter(pk=claim_id).first()


def user_get(*, user_id: int) -> User | None:
    """Anyone by id, active or not (unassigning someone deactivated still works); None if gone."""
    return User.objects.filter(pk=user_id).first()


def user_active_get(*, user_id: object) -> User | None:
    """An active user by id (a hand-off's signed payload names them); None if gone or deactivated."""
    return User.objects.filter(pk=user_id, is_active=True).first()


def users_active_by_email(*, email: str) -> QuerySet[User]:
    """Active users whose address is ``email`` whatever its case (a password reset's addressees)."""
    return User.objects.filter(email__iexact=email, is_active=True)


def user_for_sign_in(*, name: str) -> User | None:
    """The account a sign-in name means: its username as typed, else the one account whose
    username or email address it is whatever the case (client users are invited by email and
    told to sign in with it). None when no account, or more than one, answers to it: a shared
    address never signs in a guessed one of them."""
    name = (name or "").strip()
    if not name or "\x00" in name or len(name) > 254:  # nobody's (PostgreSQL refuses a NUL in a query)
        return None
    exact = User.objects.filter(username=name).first()
    if exact is not None:
        return exact
    for lookup in ({"username__iexact": name}, {"email__iexact": name}):
        found = list(User.objects.filter(**lookup)[:2])
        if found:
            return found[0] if len(found) == 1 else None
    return None


def sign_in_name(request: Any, credentials: dict | None = None) -> str | None:
    """The name sign-in attempts are counted under (django-axes' lockout, the per-account rate
    limit): the account's username whichever of its names was typed and in whatever case, so
    "Sam", "sam" and sam's email address share one count; what was typed, in lower case, for
    no account."""
    typed = credentials.get("username") if credentials is not None else getattr(request, "POST", {}).get("username")
    if typed is None:
        return None
    user = user_for_sign_in(name=str(typed))
    return user.username if user is not None else str(typed).strip().lower()


def agency_people_list() -> QuerySet[User]:
    """The agency's admins and staff with their clients (the staff page: one query for the clients)."""
    return User.objects.filter(role__in=[User.Role.ADMIN, User.Role.STAFF]).prefetch_related("memberships__client")


SWITCHER_SIZE = 30  # the header's client switcher lists this many, then a link to the full list


def switchable_clients(*, user: User) -> tuple[list[tuple[str, str]], bool]:
    """The header's client switcher: (slug, name) of the first SWITCHER_SIZE clients the user may
    open, by name, and whether there are more. One bounded query, no model instances."""
    rows = list(clients_for_user(user=user).values_list("slug", "name")[: SWITCHER_SIZE + 1])
    return rows[:SWITCHER_SIZE], len(rows) > SWITCHER_SIZE


def switchable_clients_column(*, user: User) -> tuple[str, list[Any]]:
    """switchable_clients as one SQL expression (a JSON array of [slug, name], in the query's order)
    and its parameters, for a page that reads everything else in one round trip too."""
    sql, params = clients_for_user(user=user).values_list("slug", "name")[: SWITCHER_SIZE + 1].query.sql_with_params()
    # json_agg takes the rows in the order the sorted, limited subquery gives them.
    return f"(SELECT coalesce(json_agg(json_build_array(s.slug, s.name)), '[]'::json) FROM ({sql}) s)", list(params)


def switchable_clients_from(value: list[list[str]]) -> tuple[list[tuple[str, str]], bool]:
    """switchable_clients' answer from the column's value."""
    rows = [(slug, name) for slug, name in value]
    return rows[:SWITCHER_SIZE], len(rows) > SWITCHER_SIZE


def user_can_access_client(*, user: User, client: Client) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_agency_admin:
        return True
    # Asked by the host middleware and again by the view's guard: one query per request, kept on
    # the user object, which lives as long as the request.
    known = user.__dict__.setdefault("_client_access", {})
    if client.pk not in known:
        known[client.pk] = Membership.objects.filter(user=user, client=client).exists()
    return known[client.pk]


def client_of_user(*, user: User) -> Client | None:
    """A client user's client (their first membership); None for anyone else."""
    membership = user.memberships.select_related("client").order_by("pk").first()
    return membership.client if membership else None


def client_primary_host(*, client: Client) -> str:
    domain = Domain.objects.filter(tenant=client, is_primary=True).first()
    if domain is None:
        domain = Domain.objects.filter(tenant=client).first()
    if domain is None:
        raise Domain.DoesNotExist(f"client {client.slug} has no domain")
    return domain.domain


def host_is_routed(*, host: str) -> bool:
    """Whether the portal answers ``host`` (the console or a client's verified host)."""
    return len(host) <= 253 and Domain.objects.filter(domain=host).exists()


def domain_for_host(*, host: str) -> Domain | None:
    return Domain.objects.select_related("tenant").filter(domain=host[:253]).first()


def host_url(*, host: str) -> str:
    """The absolute base URL of a host of the portal, with the configured scheme and port."""
    port = settings.PORTAL_PORT
    suffix = f":{port}" if port and port not in {"80", "443"} else ""
    return f"{settings.PORTAL_SCHEME}://{host}{suffix}"


def client_url(*, client: Client, path: str = "/") -> str:
    return host_url(host=client_primary_host(client=client)) + path


def console_url(*, path: str = "/") -> str:
    return host_url(host=settings.PORTAL_BASE_HOST) + path


def agency_admins_list() -> QuerySet[User]:
    """The agency's admins who can act (active), by name: who changes what only admins may (the
    qualification criteria), as staff are told, and whom staff's requests are emailed to."""
    return User.objects.filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True).order_by(
        "first_name", "last_name", "email", "username")


def staff_for_client(*, client: Client) -> QuerySet[User]:
    return User.objects.filter(memberships__client=client, role=User.Role.STAFF)


def client_users_for_client(*, client: Client) -> QuerySet[User]:
    return User.objects.filter(memberships__client=client, role=User.Role.CLIENT)


# --- the monthly email's one-click opt-out link ---------------------------------------------------
# A user's email preferences live here, with the user: the approved report's email (reports.emails) puts the
# token in its link, and the opt-out page (agency.views.preferences) reads it back.

OPT_OUT_SALT = "kpis.monthly-email-off"  # the salt of the links already sent: kept as it was


def opt_out_token(user: User) -> str:
    """A signed token naming ``user``, for the opt-out link of the monthly email (no sign-in needed)."""
    return signing.dumps({"u": user.pk}, salt=OPT_OUT_SALT)


def opt_out_user(token: str) -> User | None:
    """The user an opt-out token names, if it is genuine and less than 400 days old."""
    try:
        payload = signing.loads(token, salt=OPT_OUT_SALT, max_age=60 * 60 * 24 * 400)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=payload.get("u")).first()


def language_for(*, user: User, client: Client | None) -> str:
    """The language ``user`` is written to in (emails, PDF): their own choice, else for a client's
    user the client's language, else the agency's default language; about a client, in the client's
    variant of it (``client_variant``)."""
    if user.language:
        return client_variant(user.language, client)
    if client is not None and not user.is_agency:
        return client.report_language
    brand = AgencyBrand.current()
    return client_variant((brand.default_language if brand else "") or settings.LANGUAGE_CODE.split("-")[0], client)


def client_variant(language: str, client: Client | None) -> str:
    """``language`` as written about ``client``: the client's own variant of it when the client is
    written to in one ("es" about a Mexican client is "es-mx"), else ``language`` itself.

    Why: a variant is the client's money, numbers and dates, not another language. The commentary, the
    draft, the email and the PDF are written in the client's language; a staff member reading the
    client's pages in Spain's Spanish saw its tiles in "37 445,85 MX$" beside the commentary's
    "$37,445.85", two ways of writing one amount on one page. A reader of another language (English)
    keeps theirs: its words, and "MX$", which tells an English reader the dollar sign is a peso."""
    if client is None or getattr(client, "is_public", False) or not language:
        return language
    own = (client.report_language or "").lower()
    if own and own != language.lower() and own.split("-")[0] == language.lower().split("-")[0]:
        return own
    return language


def brand_is_default() -> bool:
    """The agency never set its brand's sender: client emails would go out as the portal's default
    ("Marketing portal <portal@…>"), which a client does not recognise. True when there is no brand
    row, or neither a sender name nor an agency name other than the default was saved. The close
    page and the console's client page say so to staff before a first report is sent."""
    brand = AgencyBrand.current()
    if brand is None:
        return True
    default_name = AgencyBrand._meta.get_field("name").default
    return not brand.sender_name.strip() and brand.name.strip() in {"", default_name}


# The agency's own emails (agency.outbox.PUBLIC) in words: an agency person's account and password
# links, a client user's when their client is gone, and the staff's daily digest of checks.
PUBLIC_EMAIL_KINDS = {
    "invitation": _("An invitation"),
    "account": _("A link to set a password"),
    "password_reset": _("A password reset link"),
    "checks_digest": _("The daily digest of checks"),
}


def public_outbox_attention() -> list[dict[str, Any]]:
    """The agency's own emails an admin should look at (failed, given up, outcome unknown), as the
    outbox partial shows them, with their "Send again" URL (agency.outbox.attention_shown)."""
    return attention_shown(
        PUBLIC.attention(every_month=True),
        kind_label=lambda kind: str(PUBLIC_EMAIL_KINDS.get(kind, kind)),
        resend_url=lambda pk: reverse("outbox_resend", args=[pk]),
    )
