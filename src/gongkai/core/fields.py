"""Model fields for personal data at rest (see gongkai.core.crypto).

``EncryptedTextField`` stores a value encrypted (header + ciphertext, see ``crypto``) and gives the
plaintext back on read, so templates, forms, masking and letters keep working unchanged. It cannot be
filtered on (the stored text is random): declare a ``BlindIndexField`` next to it and look up with
``Model.objects.filter(phone_bidx__in=crypto.blind_indexes(value, "phone"))``. Only ``isnull`` and
comparison with "" (an empty value is stored empty) are allowed; anything else raises ``FieldError``
instead of silently matching nothing.

Values written before encryption was switched on (no ``gk1:`` header) are read as they are until
``gongkai crypto rotate`` encrypts them.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.models import lookups

from . import crypto


def context_of(field: models.Field) -> str:
    """The associated data a column's values are bound to: ``app_label.model.field``."""
    return f"{field.model._meta.label_lower}.{field.name}"


class _Refused(lookups.Lookup):
    def __init__(self, lhs, rhs):
        raise FieldError(
            f"{lhs.output_field.name}: an encrypted field cannot be searched with '{self.lookup_name}'; "
            "filter on its blind index (gongkai.core.crypto.blind_indexes)"
        )


class _EmptyExact(lookups.Exact):
    """``field=""`` (empty values are stored empty) — the only equality an encrypted column answers."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise FieldError(
                f"{self.lhs.output_field.name}: an encrypted field cannot be compared with a value; "
                "filter on its blind index (gongkai.core.crypto.blind_indexes)"
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text encrypted at rest; ``max_length`` limits the plaintext (forms, validation)."""

    description = "Encrypted text"
    form_class = forms.CharField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def get_lookup(self, lookup_name):
        if lookup_name == "exact":
            return _EmptyExact
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        return type(f"Refused_{lookup_name}", (_Refused,), {"lookup_name": lookup_name})

    def get_transform(self, lookup_name):
        return None

    def from_db_value(self, value, expression, connection):
        if value and crypto.is_encrypted(value):
            return crypto.decrypt(value, context=context_of(self))
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(value, context=context_of(self))

    def formfield(self, **kwargs):
        defaults = {"form_class": self.form_class, "max_length": self.max_length}
        defaults.update(kwargs)
        return super(models.TextField, self).formfield(**defaults)


class EncryptedEmailField(EncryptedTextField):
    default_validators = [validators.validate_email]
    description = "Encrypted e-mail address"
    form_class = forms.EmailField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 254)
        super().__init__(*args, **kwargs)


class BlindIndexField(models.CharField):
    """The keyed hash of another field's normalised value, kept up to date on every save.

    ``source`` names the plaintext attribute, ``kind`` the normalisation (crypto.normalise). A save
    with ``update_fields`` must name this field too when it changes the source.
    """

    description = "Blind index"

    def __init__(self, *args, source: str = "", kind: str = "", **kwargs):
        self.source, self.kind = source, kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        for key, value in (
            ("max_length", 64),
            ("editable", False),
            ("blank", True),
            ("default", ""),
            ("db_index", True),
        ):
            if kwargs.get(key) == value:
                kwargs.pop(key)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = crypto.blind_index(getattr(model_instance, self.source) or "", self.kind)
        setattr(model_instance, self.attname, value)
        return value
