"""Sources: importing the files agencies already have (sources.md), through the canonical importer.

Public API (stable; the upload screen, saved mappings and scheduled URL sources build on it)
-------------------------------------------------------------------------------------------
Importing
    ``source_import(*, client, path, source=None, mapping=None, mappings=(), dry_run=False,
    progress=None) -> SourceImport``
        Detects the file (or is told: ``source`` a slug of ``SOURCES``, or ``mapping`` a
        :class:`Mapping`), converts every line into canonical rows and imports them through
        ``clients.importing.import_records``: all or nothing, idempotent, every bad line named.
        ``mappings``: the client's saved mappings, recognized by their header. ``dry_run``
        checks the whole file and writes nothing. Sends ``data_imported`` when rows were written.
    ``SourceImport``: ``ok``, ``errors`` (``RowError(line, column, value, reason)``, columns
        named as the file names them), ``detection``, ``kind``, ``rows`` (data lines read),
        ``days`` (set of dates), ``first_day``/``last_day``, ``skipped`` ({reason: count}, GA4's
        non desktop/mobile/tablet rows), ``campaigns_created`` (ids), ``result`` (the
        importer's ``ImportResult``: inserted/updated/unchanged/months), ``as_dict()`` (JSON).
    ``source_preview(*, client, path, source=None, mapping=None, mappings=(), limit=20)
    -> (SourceImport, [(line, {canonical column: value}, [RowError])])``
        The first rows as canonical values with their errors, writing nothing (live preview).

Detecting
    ``detect(path, *, source=None, mapping=None, mappings=()) -> Detection``; raises
    ``SourceError`` (``.errors``: list of RowError) for a file nothing recognizes (naming the
    sources compared), a source file without its daily column (naming the segment to add),
    or a file that does not decode (a truncated UTF-16 file).
    ``Detection``: ``source`` (a ``Source`` or None for a mapping), ``mapping`` (what runs),
    ``label``, ``language`` (``en``/``es``/""), ``language_label``, ``encoding``,
    ``header_line``, ``header`` (the file's header cells), ``delimiter``, ``kind``.

Mappings (a saved mapping is just data)
    ``Mapping(kind, columns={target: Rule}, name, date_format, time_format, decimal, header,
    channel, social_network, currency, keep, total_if_empty)``; ``Mapping.to_dict()`` /
    ``Mapping.from_dict(data)`` (JSON); ``Mapping.problems()`` (unknown targets, a required
    column unmapped: list of messages); ``Mapping.matches_header(cells)``.
    ``Rule(column="", value="", values={}, other=None, minus="", lower=False)``: a file
    column or a fixed value, a value table, the value of cells the table does not name.
    ``targets_of(kind)`` lists what a mapping of a kind may fill (the kind's canonical columns
    plus ``campaign_id``/``campaign_name`` for spend and email and ``currency`` for spend);
    ``required_targets(kind)`` what it must fill. Dates use strftime formats (several joined
    with ``|``); ``decimal`` is ``.`` or ``,``.

    Saved mappings: ``register_mapping_provider(fn)`` with ``fn(client) -> Iterable[Mapping]``
    (the saved-mappings feature registers one in its AppConfig.ready());
    ``saved_mappings(client=...)`` lists them; ``import_source`` passes them as ``mappings``
    and ``--mapping NAME`` picks one by ``Mapping.name``.

Built-in sources
    ``SOURCES``: {slug: Source} for google_ads, meta_ads, linkedin_ads, ga4_traffic, mailchimp,
    hubspot_contacts; ``Source.label``, ``.kind``, ``.columns`` (``Col`` with ``en``/``es``
    aliases), ``.layout`` (where the layout comes from).

Currencies
    ``rates_import(*, path) -> RatesResult`` loads the ECB's ``eurofxref-hist.csv`` into
    ``agency.models.ExchangeRate`` (agency-wide); ``RateBook().convert(amount, source, target,
    day) -> Conversion(amount, rate, rate_date)`` (7-day rule, through the euro). A spend row
    stores ``amount`` (client currency, unrounded), ``original_amount``, ``currency``,
    ``exchange_rate`` (client units per original unit) and ``rate_date``.
"""

from clients.sources.builtin import LANGUAGES, SOURCES, Col, Source
from clients.sources.currencies import RateBook, RatesResult, rates_import
from clients.sources.detection import Detection, detect
from clients.sources.mapping import (
    Mapping,
    Rule,
    register_mapping_provider,
    required_targets,
    saved_mappings,
    targets_of,
)
from clients.sources.reading import SourceError
from clients.sources.services import SourceImport, source_import, source_preview

__all__ = [
    "LANGUAGES", "SOURCES", "Col", "Detection", "Mapping", "RateBook", "RatesResult", "Rule", "Source",
    "SourceError", "SourceImport", "detect", "rates_import", "register_mapping_provider", "required_targets",
    "saved_mappings", "source_import", "source_preview", "targets_of",
]
