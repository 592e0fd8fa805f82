"""The catalogue speaks English and 繁體: every message translated, and English pages show no
Chinese interface text of this app (data — domain and item names — stays as written)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.catalogue.models import UnitItem

from . import real_catalogues as real
from .i18n_check import assert_no_untranslated, check_catalogues, english


def test_catalogues_complete_and_compiled():
    check_catalogues("catalogue")


@pytest.mark.django_db
def test_english_pages(tree, client, client_for, published, national):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = UnitItem.objects.get(unit=tree.town_a, name="办事指南")
    for url in (
        reverse("catalogue:home"),
        reverse("catalogue:unit", args=[tree.town_a.pk]),
        reverse("catalogue:item", args=[item.pk]),
        reverse("catalogue:standard", args=[published.pk]),
        reverse("catalogue:search") + "?q=低保",
    ):
        assert_no_untranslated("catalogue", english(client, url), url)
    office = client_for(tree.office)
    for url in (
        reverse("catalogue_wb:catalogue-list"),
        reverse("catalogue_wb:catalogue-detail", args=[published.pk]),
        reverse("catalogue_wb:adoption", args=[published.pk]),
        reverse("catalogue_wb:domain-list"),
        reverse("catalogue_wb:template-list"),
        reverse("catalogue_wb:import"),
        reverse("catalogue_wb:my-lists"),
    ):
        assert_no_untranslated("catalogue", english(office, url), url)
    upload = SimpleUploadedFile("12.xlsx", real.twelve_row_workbook())
    r = office.post(
        reverse("catalogue_wb:import"),
        {
            "file": upload,
            "template": national.pk,
            "owner": tree.county.pk,
            "target_kind": "government",
            "target_level": "township",
        },
    )
    text = english(office, r["Location"])
    assert "6 incomplete" in text and "Required element" in text and "Confirm import" in text
    assert_no_untranslated("catalogue", text, "import preview")
