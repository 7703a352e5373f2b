"""The SMTP backend: Django's, telling a failed send from one whose outcome is unknown.

Once the whole message has gone to the mail server after ``DATA``, only the final reply says
whether it was stored. A line dropped (or timed out) while waiting for that reply leaves it
unknown: the server may have stored it and be about to deliver it (issue #24: a server that
stored the message and cut the line before its ``250`` got it twice, the outbox retrying). Such
a send raises :class:`DeliveryUncertain`; the outbox marks the row uncertain and never sends it
again by itself (agency.outbox). Any failure before the message went is a plain failure, retried.
"""

from __future__ import annotations

import re
import smtplib
from email.utils import make_msgid, parseaddr
from typing import Any

from django.core.mail.backends.smtp import EmailBackend as DjangoEmailBackend

LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def header_text(text: str) -> str:
    """``text`` on one line, fit for a header (a subject, a sender's name): line breaks become
    spaces. Names are refused with line breaks at the door (agency.validators); this keeps
    anything stored before from failing every email that carries it."""
    return LINE_BREAKS.sub(" ", text).strip()


def message_id(sender: str, local: str = "") -> str | None:
    """A Message-ID at the sending domain (``<…@agency.example>`` for ``Northwind <portal@agency.example>``).

    Django's own is at the machine's host name (``@localhost`` in a container), which says the email
    comes from nowhere and which spam filters count against it. None when the sender has no domain
    (then Django's stands). ``local``: the part before the ``@`` (the outbox derives it from its row,
    so that every attempt at one email carries one Message-ID); else a fresh one."""
    _name, address = parseaddr(header_text(sender or ""))
    domain = address.rpartition("@")[2].strip().rstrip(".").lower() if "@" in address else ""
    try:
        domain = domain.encode("idna").decode("ascii")  # a domain in another script, as DNS writes it
    except UnicodeError:
        return None
    if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", domain):
        return None
    return f"<{local}@{domain}>" if local else make_msgid(domain=domain)


class DeliveryUncertain(smtplib.SMTPException):
    """The message was sent after DATA but its final reply never came."""


class _Tracking:
    def data(self, msg: Any) -> tuple[int, bytes]:
        self._body_sent = False
        try:
            return super().data(msg)  # type: ignore[misc]
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            if self._body_sent:
                raise DeliveryUncertain(f"the line dropped after the message was sent ({type(error).__name__})") from error
            raise

    def send(self, s: Any) -> None:
        super().send(s)  # type: ignore[misc]
        if s not in ("data\r\n", b"data\r\n"):
            self._body_sent = True


class _SMTP(_Tracking, smtplib.SMTP):
    pass


class _SMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(DjangoEmailBackend):
    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return _SMTPSSL if self.use_ssl else _SMTP
