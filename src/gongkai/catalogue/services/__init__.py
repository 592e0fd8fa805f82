"""Every state change of the catalogue app: one transaction, authorised, audited.

Authority (RULES.md "Standard catalogues"; gongkai.core.permissions):
- domains, element templates and standard catalogues are kept by a 政务公开办
  (disclosure office) — at the owning unit or any unit above it; built-in
  templates and national domains only by a system administrator;
- a unit's own list: its editors, leaders (and the overseeing office) add, edit and
  drop local items and set responsible units; mandatory standard items cannot be dropped.

``actor=None`` means the system (migrations, demo loader, management commands run by
an operator who chose ``--as`` nobody).

Modules: :mod:`.domains` (domains, element templates), :mod:`.catalogues` (catalogues,
versions, items, diff, publish), :mod:`.derive` (units' lists from a published version),
:mod:`.unit_lists` (a unit's own list).
"""

from ._common import ITEM_FIELDS, UNIT_LIST_ROLES, item_key_for, new_key
from .catalogues import (
    ItemRow,
    catalogue_create,
    catalogue_set_target_units,
    catalogue_update,
    compute_diff,
    discard_refusal,
    item_add,
    item_delete,
    item_update,
    items_replace,
    version_accept_incomplete,
    version_discard,
    version_publish,
    version_start_draft,
)
from .derive import catalogue_rederive, derive_unit_lists, target_units
from .domains import (
    domain_create,
    domain_update,
    element_add,
    element_remove,
    element_update,
    ensure_reference_data,
    template_create,
)
from .unit_lists import (
    drop_refusal,
    restore_refusal,
    unit_item_add_local,
    unit_item_drop,
    unit_item_restore,
    unit_item_update,
)

__all__ = [
    "ITEM_FIELDS",
    "UNIT_LIST_ROLES",
    "ItemRow",
    "catalogue_create",
    "catalogue_rederive",
    "catalogue_set_target_units",
    "catalogue_update",
    "compute_diff",
    "derive_unit_lists",
    "discard_refusal",
    "domain_create",
    "domain_update",
    "drop_refusal",
    "element_add",
    "element_remove",
    "element_update",
    "ensure_reference_data",
    "item_add",
    "item_delete",
    "item_key_for",
    "item_update",
    "items_replace",
    "new_key",
    "restore_refusal",
    "target_units",
    "template_create",
    "unit_item_add_local",
    "unit_item_drop",
    "unit_item_restore",
    "unit_item_update",
    "version_accept_incomplete",
    "version_discard",
    "version_publish",
    "version_start_draft",
]
