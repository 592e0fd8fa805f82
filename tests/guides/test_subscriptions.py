"""Subscriptions: confirmed opt-in, digest after a new guide is published, one-click unsubscribe, SMS sender."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from gongkai.guides import notify, services
from gongkai.guides.models import Subscription

from .conftest import COMPLETE

pytestmark = pytest.mark.django_db


def _event(tree, guide):
    return services.event_save(
        actor=tree.office,
        unit=tree.county,
        data={"slug": "have-a-baby", "title": "我要生孩子", "is_published": True},
        steps=[{"kind": "guide", "guide": guide, "title": "生育登记"}],
    )


def test_nothing_is_sent_before_confirmation_then_a_digest(tree, client, django_capture_on_commit_callbacks):
    guide = services.guide_create(actor=tree.editor_a, unit=tree.dept_a, data=COMPLETE)
    event = _event(tree, guide)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/guides/subscribe/",
            {"topic": "event", "target": "have-a-baby", "channel": "email", "address": "Resident@Example.cn"},
        )
    assert r.status_code == 200 and len(mail.outbox) == 1 and "确认" in mail.outbox[0].subject
    sub = Subscription.objects.get()
    assert sub.address == "resident@example.cn" and sub.confirmed_at is None and sub.event == event
    assert notify.send_digests()["sent"] == 0 and len(mail.outbox) == 1  # unconfirmed: nothing
    assert client.get(f"/guides/subscribe/confirm/{sub.token}/").status_code == 200
    version = services.guide_version_submit(actor=tree.editor_a, version=guide.versions.get())
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        services.guide_version_publish(actor=tree.reviewer_a, version=version)
        report = notify.send_digests()
    assert report["sent"] == 1 and "生育登记" in mail.outbox[-1].body and "subscribe/remove" in mail.outbox[-1].body
    assert notify.send_digests()["sent"] == 0  # nothing new since


def test_one_click_unsubscribe_deletes_the_address(tree, client):
    sub = Subscription.objects.create(channel="email", address="a@example.cn", topic="unit", unit=tree.dept_a)
    r = client.get(f"/guides/subscribe/remove/{sub.token}/?now=1")
    assert r.status_code == 200 and not Subscription.objects.exists()


def test_bad_address_and_sms_sender(tree, client, settings, django_capture_on_commit_callbacks):
    r = client.post(
        "/guides/subscribe/",
        {"topic": "unit", "target": str(tree.dept_a.pk), "channel": "email", "address": "not-an-address"},
    )
    assert r.status_code == 400 and not Subscription.objects.exists()
    settings.GONGKAI_SMS_BACKEND = "gongkai.guides.notify.MemorySms"
    notify.MemorySms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            "/guides/subscribe/",
            {"topic": "unit", "target": str(tree.dept_a.pk), "channel": "sms", "address": "139 0578 1234"},
        )
    assert r.status_code == 200 and notify.MemorySms.outbox[0][0] == "13905781234"
