"""Masking of personal data for lists, exports and the API."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if "-" in phone:
        area, rest = phone.split("-", 1)
        return f"{area}-{'*' * max(len(rest) - 4, 0)}{rest[-4:]}"
    return f"{'*' * max(len(phone) - 4, 0)}{phone[-4:]}"


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str) -> str:
    if not name:
        return ""
    if len(name) == 1:
        return name
    if len(name) == 2:
        return f"{name[0]}*"
    return f"{name[0]}{'*' * (len(name) - 2)}{name[-1]}"


def mask_address(address: str, keep: int = 6) -> str:
    if len(address) <= keep:
        return address
    return address[:keep] + "****"
