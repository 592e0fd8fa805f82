"""Masking recipients on public lists: natural persons' names and ID numbers never appear whole."""

from __future__ import annotations


def mask_name(name: str) -> str:
    """张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id(number: str) -> str:
    """332525199001011234 → 3325**********1234 (first 4 and last 4 characters kept)."""
    number = (number or "").strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def public_row(recipient) -> dict:
    """A recipient as shown to the public: persons masked, organisations as registered."""
    if recipient.is_person:
        return {
            "name": mask_name(recipient.name),
            "id_number": mask_id(recipient.id_number),
            "township": recipient.township,
            "amount": recipient.amount,
        }
    return {
        "name": recipient.name,
        "id_number": recipient.id_number,
        "township": recipient.township,
        "amount": recipient.amount,
    }
