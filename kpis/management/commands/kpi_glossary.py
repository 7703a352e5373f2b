"""Write docs/kpi-glossary.md and docs/kpi-glossary.es.md from the catalogue (kpis.glossary)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from kpis.glossary import LANGUAGES, glossary_markdown


class Command(BaseCommand):
    help = "Write the glossary of the report's figures (docs/kpi-glossary*.md) from the catalogue."

    def handle(self, *args: Any, **options: Any) -> None:
        for language, path in LANGUAGES.items():
            target = Path(settings.BASE_DIR) / path
            target.write_text(glossary_markdown(language=language), encoding="utf-8")
            self.stdout.write(f"wrote {path}")
