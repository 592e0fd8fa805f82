"""Publications speak English and 繁體: every message translated, and English pages show no
Chinese interface text of this app (titles and other data stay as written)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.publications import services
from tests.catalogue.i18n_check import assert_no_untranslated, check_catalogues, english


def test_catalogues_complete_and_compiled():
    check_catalogues("publications")


@pytest.mark.django_db
def test_english_pages(tree, client, client_for, draft, publish):
    import datetime as dt

    published = publish(
        draft(doc_type="normative", effective_from=dt.date(2026, 11, 2), title="松阳县临时救助实施办法")
    )
    waiting = services.publication_submit(actor=tree.editor_a, publication=draft(title="关于开展低保年审的通知"))
    for url in (
        reverse("publications:index"),
        reverse("publications:library"),
        published.get_absolute_url(),
    ):
        assert_no_untranslated("publications", english(client, url), url)
    for user, urls in (
        (tree.editor_a, [reverse("publications_wb:home"), reverse("publications_wb:create") + "?type=normative"]),
        (
            tree.reviewer_a,
            [
                reverse("publications_wb:detail", args=[waiting.pk]),
                reverse("publications_wb:queue", args=["attribute_review"]),
                reverse("publications_wb:act", args=[waiting.pk, "retain"]),
            ],
        ),
        (tree.office, [reverse("publications_wb:late"), reverse("publications_wb:list")]),
    ):
        for url in urls:
            text = english(client_for(user), url)
            assert_no_untranslated("publications", text, url)
    text = english(client_for(tree.reviewer_a), reverse("publications_wb:detail", args=[waiting.pk]))
    assert "Approve disclosure attribute" in text and "Review trail" in text
