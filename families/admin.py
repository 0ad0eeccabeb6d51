"""The families app in the admin: only the assessment catalogue
(families.plan_admin); households and their plans hold case data and are never
registered."""

from . import plan_admin  # noqa: F401 - registers the catalogue's ModelAdmins
