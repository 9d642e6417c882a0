"""Declarations (认定申请书): drafts saved on every change, live checks, submission, JSON import/export.

A declaration's working document is the interchange dict (``lzcenter.declaration/1``) kept in
``Declaration.source_json``. The package is split by concern; every name the rest of the program
uses is re-exported here, so ``from lzcenter_desktop.services import declarations as d`` and
``d.create_draft(...)`` are the way to call it:

* :mod:`.base` — constants, result types, the form definition of a call year and
  :func:`diff_documents` (no database);
* :mod:`.drafts` — :func:`create_draft`, :func:`save_draft` (with its compact audit entry),
  :func:`withdraw_draft`;
* :mod:`.checking` — the checks that need the database: the rule set of the call year, the same
  host twice in a call year (``DUP``), a revocation on record (D25); the pure checks it calls
  (required fields, :func:`check_document`, :func:`staff_totals`) live in
  :mod:`lzcenter_desktop.domain.draft_checks`;
* :mod:`.acknowledgements` — the reasons given for accepting warnings;
* :mod:`.submission` — :func:`submit_declaration` and the child tables it writes;
* :mod:`.closing` — :func:`discard_draft` (作废 a draft) and :func:`withdraw_declaration` (撤回 a
  submitted one), each with a reason kept in the audit trail;
* :mod:`.exchange` — reading an interchange file, import/export JSON, comparing two declarations;
* :mod:`.queries` — :func:`get_declaration`, :func:`list_declarations`;
* :mod:`.stored` — reading a row's working document inside a session (internal).

Building blocks for callers that run their own unit of work (the bulk import,
:mod:`lzcenter_desktop.services.bulk_import`), each working inside an open session or on a document:

* :func:`check_call_year` — the call year, or a :class:`ServiceError` in Chinese;
* :func:`fullwidth_name` — D26, ASCII brackets of the centre name made full-width, in place;
* :func:`add_draft` — a new draft row for a document (links a host with a valid credit code);
* :func:`stored_document` — the working document of a ``Declaration`` row;
* :func:`find_recorded_revocation` — the latest revocation of a centre of the document's host;
* :func:`duplicate_host_violations` — the ``DUP`` warning for a host already declared that year;
* :func:`host_code`, :func:`name_key` — the host's credit code and a name normalised for matching.
"""

from lzcenter_desktop.domain.interchange import MAX_CALL_YEAR, MIN_CALL_YEAR
from lzcenter_desktop.services.declarations.acknowledgements import (
    AcknowledgementView,
    acknowledgement_history,
    list_acknowledgements,
    set_acknowledgement,
)
from lzcenter_desktop.services.declarations.base import (
    CLOSED_STATUSES,
    DISCARDED,
    DRAFT,
    DUPLICATE_RULE,
    FORM_RULE,
    FORMAT_RULE,
    PLACEHOLDER_CENTER,
    PLACEHOLDER_HOST,
    STATUS_LABELS,
    SUBMITTED,
    WITHDRAWN,
    CheckResult,
    DeclarationRow,
    DeclarationView,
    FieldDifference,
    ImportOutcome,
    StaffTotals,
    diff_documents,
    empty_document,
    host_code,
    load_declaration_form,
    set_path,
    violation_key,
)
from lzcenter_desktop.services.declarations.checking import (
    RecordedRevocation,
    check_data,
    check_declaration_draft,
    check_document,
    duplicate_host_violations,
    duplicate_violations,
    find_recorded_revocation,
    name_key,
    recorded_revocation,
    required_field_violations,
    staff_totals,
)
from lzcenter_desktop.services.declarations.closing import REASON_MAX, discard_draft, withdraw_declaration
from lzcenter_desktop.services.declarations.drafts import (
    add_draft,
    check_call_year,
    create_draft,
    fullwidth_name,
    save_draft,
    withdraw_draft,
)
from lzcenter_desktop.services.declarations.exchange import (
    MAX_IMPORT_BYTES,
    ImportFileError,
    compare_declarations,
    export_declaration,
    import_declaration_data,
    import_declaration_file,
    read_interchange_file,
    write_export,
)
from lzcenter_desktop.services.declarations.queries import get_declaration, list_declarations
from lzcenter_desktop.services.declarations.stored import stored_document
from lzcenter_desktop.services.declarations.submission import submit_declaration

__all__ = [
    "CLOSED_STATUSES",
    "DISCARDED",
    "DRAFT",
    "DUPLICATE_RULE",
    "FORMAT_RULE",
    "FORM_RULE",
    "MAX_CALL_YEAR",
    "MAX_IMPORT_BYTES",
    "MIN_CALL_YEAR",
    "PLACEHOLDER_CENTER",
    "PLACEHOLDER_HOST",
    "REASON_MAX",
    "STATUS_LABELS",
    "SUBMITTED",
    "WITHDRAWN",
    "AcknowledgementView",
    "CheckResult",
    "DeclarationRow",
    "DeclarationView",
    "FieldDifference",
    "ImportFileError",
    "ImportOutcome",
    "RecordedRevocation",
    "StaffTotals",
    "acknowledgement_history",
    "add_draft",
    "check_call_year",
    "check_data",
    "check_declaration_draft",
    "check_document",
    "compare_declarations",
    "create_draft",
    "diff_documents",
    "discard_draft",
    "duplicate_host_violations",
    "duplicate_violations",
    "empty_document",
    "export_declaration",
    "find_recorded_revocation",
    "fullwidth_name",
    "get_declaration",
    "host_code",
    "import_declaration_data",
    "import_declaration_file",
    "list_acknowledgements",
    "list_declarations",
    "load_declaration_form",
    "name_key",
    "read_interchange_file",
    "recorded_revocation",
    "required_field_violations",
    "save_draft",
    "set_acknowledgement",
    "set_path",
    "staff_totals",
    "stored_document",
    "submit_declaration",
    "violation_key",
    "withdraw_declaration",
    "withdraw_draft",
    "write_export",
]
