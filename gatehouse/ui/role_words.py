"""A person's role (or "vehicle", for a vehicle's own passage) in the reader's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gatehouse.core.models import Role
from gatehouse.core.rules.vehicles import VEHICLE_KIND

ROLES = (*(role.value for role in Role), VEHICLE_KIND)  # what a passage's role can be


def role_words(role: str) -> str:
    """The role's words; a role this release does not know is shown as stored."""
    translate = QCoreApplication.translate
    return {
        Role.EMPLOYEE.value: translate("RoleWords", "employee"),
        Role.VISITOR.value: translate("RoleWords", "visitor"),
        Role.CONTRACTOR.value: translate("RoleWords", "contractor"),
        Role.DRIVER.value: translate("RoleWords", "driver"),
        VEHICLE_KIND: translate("RoleWords", "vehicle"),
    }.get(role, role)
