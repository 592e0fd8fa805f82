"""One client address for every throttle (issue 13 item 1): X-Forwarded-For is believed only as far
as GONGKAI_TRUSTED_PROXIES says, the form and the API draw on one allowance, and a tracking code
guessed wrongly five times is locked for an hour whatever the address."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse

from gongkai.core.audit import AuditAction
from gongkai.core.client_address import client_address
from gongkai.core.models import AuditEvent
from gongkai.requests.models import InformationRequest
from tests.requests.test_api import payload


def _request(remote="10.0.0.2", xff=None):
    meta = {"REMOTE_ADDR": remote}
    if xff is not None:
        meta["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("trusted", "remote", "xff", "expected"),
    [
        (0, "203.0.113.9", "1.2.3.4", "203.0.113.9"),  # default: the header is ignored
        (1, "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # one proxy: its entry, not the forged one
        (2, "10.0.0.3", "1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),  # two proxies: 2nd from the right
        (2, "10.0.0.3", "198.51.100.7", "198.51.100.7"),  # a proxy skipped: the leftmost, written by a proxy
        (1, "10.0.0.2", "", "10.0.0.2"),  # no header: the peer
        (1, "10.0.0.2", "not-an-ip", "10.0.0.2"),  # garbage: the peer, never the caller's choice
        (1, "10.0.0.2", "198.51.100.7:51234", "198.51.100.7"),  # a port is dropped
        (1, "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_client_address(settings, trusted, remote, xff, expected):
    settings.GONGKAI_TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, xff)) == expected


@pytest.mark.django_db
def test_spoofed_forwarded_for_does_not_reset_the_form_limit(client, settings):
    settings.GONGKAI_PUBLIC_FORM_RATE = "2/h"
    codes = [
        client.post(reverse("requests:apply"), {}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)
    ]
    assert codes[:2] != [429, 429] and codes[2] == 429
    # Another client (another peer address) still has its own allowance.
    assert client.post(reverse("requests:apply"), {}, REMOTE_ADDR="203.0.113.50").status_code != 429


@pytest.mark.django_db
def test_behind_one_proxy_each_client_has_its_own_limit(client, settings):
    settings.GONGKAI_PUBLIC_FORM_RATE = "2/h"
    settings.GONGKAI_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for forged in ("1.1.1.1", "2.2.2.2"):  # what the client wrote is left of the proxy's entry
        client.post(reverse("requests:apply"), {}, HTTP_X_FORWARDED_FOR=f"{forged}, 198.51.100.7", **proxy)
    limited = client.post(reverse("requests:apply"), {}, HTTP_X_FORWARDED_FOR="3.3.3.3, 198.51.100.7", **proxy)
    assert limited.status_code == 429
    # A different citizen behind the same proxy is not punished for the first one.
    other = client.post(reverse("requests:apply"), {}, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code != 429


def test_api_and_form_share_one_allowance(client, api_for, tree, settings):
    settings.GONGKAI_PUBLIC_FORM_RATE = "3/h"
    api = api_for()
    for i in range(2):
        client.post(reverse("requests:apply"), {}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert api.post("/api/v1/requests/", payload(tree.town_b), format="json").status_code == 201
    refused = api.post("/api/v1/requests/", payload(tree.town_b), format="json", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert InformationRequest.objects.count() == 1  # the refused request started no legal deadline


def _status(api, code, tail, address):
    return api.post(
        "/api/v1/requests/status/", {"tracking_code": code, "phone_tail": tail}, format="json", REMOTE_ADDR=address
    )


def test_tracking_code_locked_after_five_wrong_guesses_from_any_address(api_for, tree, client):
    api = api_for()
    code = api.post("/api/v1/requests/", payload(tree.town_b), format="json").json()["tracking_code"]
    other = api.post("/api/v1/requests/", payload(tree.town_b, phone="13757805678"), format="json").json()
    for i in range(5):  # each guess from a different address: the per-address limit never bites
        assert _status(api, code, f"{i:04d}", f"198.51.100.{i}").status_code == 404
    locked = _status(api, code, "1234", "203.0.113.77")  # the right digits, a fresh address
    assert locked.status_code == 429 and 3500 <= int(locked["Retry-After"]) <= 3600
    assert "锁定" in locked.json()["detail"]
    # The HTML tracking page honours the same lock.
    page = client.post(reverse("requests:track"), {"code": code, "phone_tail": "1234"}, REMOTE_ADDR="203.0.113.78")
    assert page.status_code == 429 and "锁定" in page.content.decode() and page["Retry-After"]
    # Other codes are not affected; the lock was audited once.
    assert _status(api, other["tracking_code"], "5678", "198.51.100.1").status_code == 200
    events = AuditEvent.objects.filter(action=AuditAction.GUESS_LOCK)
    assert [e.object_id for e in events] == [code]
    # After an hour the applicant can look the request up again.
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(minutes=61)):
        assert _status(api, code, "1234", "203.0.113.77").status_code == 200


def test_right_answer_clears_earlier_wrong_guesses(api_for, tree):
    api = api_for()
    code = api.post("/api/v1/requests/", payload(tree.town_b), format="json").json()["tracking_code"]
    for i in range(4):
        _status(api, code, f"{i:04d}", f"198.51.100.{i}")
    assert _status(api, code, "1234", "198.51.100.20").status_code == 200
    for i in range(4):
        _status(api, code, f"{i:04d}", f"198.51.100.{i + 30}")
    assert _status(api, code, "1234", "198.51.100.21").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_live_server_spoofed_headers_do_not_reset_limits(live_server, settings):
    """The probe of issue 13 against a running server: a new X-Forwarded-For per call, as an outsider."""
    from tests.factories import build_org_tree

    tree = build_org_tree()
    settings.GONGKAI_PUBLIC_FORM_RATE = "3/h"
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        codes = [
            http.post(
                "/api/v1/requests/", json=payload(tree.town_b), headers={"X-Forwarded-For": f"198.51.100.{i}"}
            ).status_code
            for i in range(6)
        ]
        assert codes[:3] == [201, 201, 201] and codes[3:] == [429, 429, 429]
        assert InformationRequest.objects.count() == 3
        # Guessing phone tails with a new forged address per guess: the code locks after five.
        code = InformationRequest.objects.first().tracking_code
        answers = [
            http.post(
                "/api/v1/requests/status/",
                json={"tracking_code": code, "phone_tail": f"{i:04d}"},
                headers={"X-Forwarded-For": f"203.0.113.{i}"},
            ).status_code
            for i in range(6)
        ]
        assert answers[:5] == [404] * 5 and answers[5] == 429
        right = http.post("/api/v1/requests/status/", json={"tracking_code": code, "phone_tail": "1234"})
        assert right.status_code == 429 and int(right.headers["Retry-After"]) > 3000
