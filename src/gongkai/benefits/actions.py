"""Staff actions on benefit items and recipient batches (workbench and API from one declaration)."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.core import permissions, uploads
from gongkai.core.actions import Action, ActionSet
from gongkai.core.models import Role

from . import services
from .forms import BatchForm, CriterionForm, RecipientsUploadForm
from .models import BatchState, ItemState


def _is_editor_of_draft(user, item) -> bool:
    return item.state == ItemState.DRAFT and permissions.has_role(user, Role.EDITOR, item.unit)


def _batch_draft_editor(user, batch) -> bool:
    return batch.state == BatchState.DRAFT and permissions.has_role(user, Role.EDITOR, batch.unit)


def read_csv(upload) -> list[dict]:
    data = upload.read()
    uploads.check_text_file(upload.name, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("文件不是UTF-8编码（可能是GBK），请另存为UTF-8 CSV")) from exc
    return list(csv.DictReader(io.StringIO(text)))


def _import_recipients(*, actor, obj, data):
    report = services.batch_import(actor=actor, batch=obj, rows=read_csv(data["file"]))
    if report["errors"]:
        raise ValidationError(
            [_("第%(line)s行：%(msg)s") % {"line": n, "msg": m} for n, m in report["errors"]], code="rows"
        )
    return obj


ITEM_ACTIONS = ActionSet(
    "benefit_item",
    [
        Action(
            "add_criterion",
            gettext_lazy("添加申请条件"),
            allowed=_is_editor_of_draft,
            form_class=CriterionForm,
            execute=lambda *, actor, obj, data: services.criterion_add(actor=actor, item=obj, **data).item,
        ),
        Action(
            "submit",
            gettext_lazy("提交审核"),
            transition="submit",
            style="primary",
            execute=lambda *, actor, obj, data: services.item_submit(actor=actor, item=obj),
        ),
        Action(
            "publish",
            gettext_lazy("审核通过并发布"),
            transition="publish",
            style="primary",
            execute=lambda *, actor, obj, data: services.item_publish(actor=actor, item=obj),
        ),
        Action(
            "send_back",
            gettext_lazy("退回修改"),
            transition="send_back",
            execute=lambda *, actor, obj, data: services.item_send_back(actor=actor, item=obj),
        ),
        Action(
            "withdraw",
            gettext_lazy("撤回"),
            transition="withdraw",
            style="danger",
            confirm=gettext_lazy("撤回后该事项不再公开，确定吗？"),
            execute=lambda *, actor, obj, data: services.item_withdraw(actor=actor, item=obj),
        ),
        Action(
            "new_batch",
            gettext_lazy("新建兑现名单"),
            allowed=lambda user, item: (
                item.state in (ItemState.PUBLISHED, ItemState.EXPIRED)
                and permissions.has_role(user, Role.EDITOR, item.unit)
            ),
            form_class=BatchForm,
            execute=lambda *, actor, obj, data: services.batch_create(actor=actor, item=obj, **data).item,
        ),
    ],
)

BATCH_ACTIONS = ActionSet(
    "recipient_batch",
    [
        Action(
            "import",
            gettext_lazy("导入名单"),
            allowed=_batch_draft_editor,
            form_class=RecipientsUploadForm,
            execute=_import_recipients,
        ),
        Action(
            "submit",
            gettext_lazy("提交审核"),
            transition="submit",
            style="primary",
            execute=lambda *, actor, obj, data: services.batch_submit(actor=actor, batch=obj),
        ),
        Action(
            "publish",
            gettext_lazy("审核通过并公示"),
            transition="publish",
            style="primary",
            execute=lambda *, actor, obj, data: services.batch_publish(actor=actor, batch=obj),
        ),
        Action(
            "send_back",
            gettext_lazy("退回修改"),
            transition="send_back",
            execute=lambda *, actor, obj, data: services.batch_send_back(actor=actor, batch=obj),
        ),
    ],
)
