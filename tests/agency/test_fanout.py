"""The one fan-out: every ready client, one task each, spread over time, read in pages."""

from __future__ import annotations

import pytest
from celery import shared_task

from agency import tasks
from agency.models import Client


@shared_task(name="tests.fanout_probe")
def probe(**kwargs) -> None:  # never run: the fan-out's messages are caught below
    return None


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, float | None, dict]]:
    calls: list[tuple[str, float | None, dict]] = []

    def enqueue(task, *, client, countdown=None, **kwargs) -> None:
        calls.append((client.slug, countdown, kwargs))

    monkeypatch.setattr(tasks, "enqueue_for_client", enqueue)
    return calls


@pytest.fixture
def provisioning(tenants) -> Client:
    client = Client(schema_name="not_yet", slug="not-yet", name="Provisioning", is_ready=False)
    client.auto_create_schema = False
    client.save()
    return client


def test_one_task_per_ready_client_with_the_same_arguments_spread_over_time(sent, provisioning) -> None:
    assert tasks.clients_fan_out(probe, months=["2026-03"]) == 2
    assert sent == [
        ("alpha", None, {"months": ["2026-03"]}),
        ("beta", tasks.SPREAD_SECONDS, {"months": ["2026-03"]}),
    ]


def test_chunks_share_a_countdown_and_skipped_clients_take_no_slot(sent, tenants, monkeypatch) -> None:
    monkeypatch.setattr(tasks, "READ_BATCH", 1)  # a page per client: the keyset paging goes on to the end
    extra = [Client(schema_name=f"fan_{n}", slug=f"fan-{n}", name=f"Fan {n}", is_ready=True) for n in range(3)]
    for client in extra:
        client.auto_create_schema = False
        client.save()
    assert tasks.clients_fan_out(probe, spread=10, chunk=2, skip=lambda client: client.slug == "beta") == 4
    assert [(slug, countdown) for slug, countdown, _ in sent] == [("alpha", None), ("fan-0", None), ("fan-1", 10), ("fan-2", 10)]


def test_a_narrower_set_of_clients(sent, tenants) -> None:
    assert tasks.clients_fan_out(probe, clients=Client.objects.filter(slug="beta")) == 1
    assert [slug for slug, _, _ in sent] == ["beta"]
