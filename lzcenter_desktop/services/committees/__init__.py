"""A centre's director history, management committee and expert guidance committee (第四章).

The editors work on the domain value :class:`~lzcenter_desktop.domain.model.Committees`:
:func:`load_committees` builds it from the database, the editors change it in memory (the rules
of M11–M16 are run on the unsaved value after every change), and :func:`save_committees` writes
the difference back in one transaction with its audit entries; nothing is deleted.

The package is split by concern; every name the rest of the program uses is re-exported here, so
``from lzcenter_desktop.services import committees`` and ``committees.load_committees(...)`` are the
way to call it:

* :mod:`.base` — the ids of registered people inside a value (``#<person.id>``:
  :func:`person_key`, :func:`person_db_id`), the result types, the centre with its host and
  co-building units (inside a session);
* :mod:`.reading` — :func:`list_committee_centres`, :func:`organization_choices`,
  :func:`load_committees`, :func:`check_centre_committees`;
* :mod:`.saving` — :func:`validate_committees`, :func:`save_committees` and the writing of each
  part of the record;
* :mod:`.registry` — people matched to (or registered in) the people registry, and the clerk's
  answer whether a member's unit is part of the host or a co-builder
  (:func:`unit_confirmations`, :func:`confirm_member_unit`);
* :mod:`.exchange` — ``lzcenter.committees/1`` files: :func:`import_committees_json`,
  :func:`export_committees_json`, :func:`export_json_text`, :func:`parse_json_text`.
"""

from lzcenter_desktop.services.committees.base import (
    CommitteeCentre,
    ImportSummary,
    OrganizationChoice,
    person_db_id,
    person_key,
)
from lzcenter_desktop.services.committees.exchange import (
    export_committees_json,
    export_json_text,
    import_committees_json,
    parse_json_text,
    renumbered,
)
from lzcenter_desktop.services.committees.reading import (
    check_centre_committees,
    list_committee_centres,
    load_committees,
    organization_choices,
)
from lzcenter_desktop.services.committees.registry import confirm_member_unit, unit_confirmations
from lzcenter_desktop.services.committees.saving import roster_version, save_committees, validate_committees

__all__ = [
    "CommitteeCentre",
    "ImportSummary",
    "OrganizationChoice",
    "check_centre_committees",
    "confirm_member_unit",
    "export_committees_json",
    "export_json_text",
    "import_committees_json",
    "list_committee_centres",
    "load_committees",
    "organization_choices",
    "parse_json_text",
    "person_db_id",
    "person_key",
    "renumbered",
    "roster_version",
    "save_committees",
    "unit_confirmations",
    "validate_committees",
]
