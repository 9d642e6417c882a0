"""Initial schema: the whole Measures (organizations to audit trail), and the key-industry list.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 16:34:44.375978
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# 柳州重点产业 as shipped; the table is edited by an administrator afterwards (frozen here on purpose:
# a migration must not change when the application's code changes).
KEY_INDUSTRIES = (
    "汽车",
    "钢铁",
    "机械",
    "化工",
    "日用消费品",
    "新材料",
    "电子信息",
    "生物医药",
    "节能环保",
    "现代农业",
)


def upgrade() -> None:
    op.create_table(
        "annual_call",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_call")),
        sa.UniqueConstraint("year", name=op.f("uq_annual_call_year")),
    )
    op.create_table(
        "audit_entry",
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.String(length=60), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("txn", sa.String(length=32), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_entry_entity_entity_id", ["entity", "entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_txn"), ["txn"], unique=False)

    op.create_table(
        "evaluation_round",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_round")),
        sa.UniqueConstraint("year", name=op.f("uq_evaluation_round_year")),
    )
    op.create_table(
        "key_industry",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_industry")),
        sa.UniqueConstraint("name", name=op.f("uq_key_industry_name")),
    )
    op.create_table(
        "organization",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("first_level_legal_person", sa.Boolean(), nullable=False),
        sa.Column("competent_department", sa.String(length=200), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_organization_credit_code")),
    )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_name"), ["name"], unique=False)

    op.create_table(
        "rule_set_version",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=False),
        sa.Column("settings_json", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_set_version")),
        sa.UniqueConstraint("year", "version_no", name=op.f("uq_rule_set_version_year_version_no")),
    )
    with op.batch_alter_table("rule_set_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rule_set_version_year"), ["year"], unique=False)

    op.create_table(
        "verification_draw",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=300), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_draw")),
    )
    with op.batch_alter_table("verification_draw", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_verification_draw_year"), ["year"], unique=False)

    op.create_table(
        "center",
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=400), nullable=False),
        sa.Column("research_direction", sa.String(length=500), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("state_since", sa.Date(), nullable=False),
        sa.Column("recognized_on", sa.Date(), nullable=True),
        sa.Column("plaque_no", sa.String(length=50), nullable=True),
        sa.Column("certificate_no", sa.String(length=50), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["host_id"], ["organization.id"], name=op.f("fk_center_host_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center")),
    )
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_center_host_id"), ["host_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_center_name_zh"), ["name_zh"], unique=False)
        batch_op.create_index(batch_op.f("ix_center_state"), ["state"], unique=False)

    op.create_table(
        "person",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("id_number", sa.String(length=18), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("organization_name", sa.String(length=200), nullable=True),
        sa.Column("degree", sa.String(length=10), nullable=True),
        sa.Column("title", sa.String(length=10), nullable=True),
        sa.Column("position", sa.String(length=100), nullable=True),
        sa.Column("specialty", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=100), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_person_organization_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("id_number", name=op.f("uq_person_id_number")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "public_notice",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["annual_call.id"], name=op.f("fk_public_notice_call_id_annual_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_notice")),
    )
    with op.batch_alter_table("public_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_notice_call_id"), ["call_id"], unique=False)

    op.create_table(
        "review_session",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("aggregation", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["annual_call.id"], name=op.f("fk_review_session_call_id_annual_call")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_session")),
    )
    with op.batch_alter_table("review_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_session_call_id"), ["call_id"], unique=False)

    op.create_table(
        "annual_report",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("host_assessment", sa.String(length=20), nullable=True),
        sa.Column("director_months", sa.Integer(), nullable=True),
        sa.Column("rd_staff", sa.Integer(), nullable=True),
        sa.Column("rd_investment_yuan", sa.Integer(), nullable=True),
        sa.Column("projects", sa.Integer(), nullable=True),
        sa.Column("patents_granted", sa.Integer(), nullable=True),
        sa.Column("standards", sa.Integer(), nullable=True),
        sa.Column("revenue_yuan", sa.Integer(), nullable=True),
        sa.Column("data_json", sa.Text(), nullable=True),
        sa.Column("verification_draw_id", sa.Integer(), nullable=True),
        sa.Column("verification_result", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_annual_report_center_id_center")),
        sa.ForeignKeyConstraint(
            ["verification_draw_id"],
            ["verification_draw.id"],
            name=op.f("fk_annual_report_verification_draw_id_verification_draw"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annual_report")),
        sa.UniqueConstraint("center_id", "year", name=op.f("uq_annual_report_center_id_year")),
    )
    op.create_table(
        "center_industry",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("industry", sa.String(length=50), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_center_industry_center_id_center")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_industry")),
        sa.UniqueConstraint("center_id", "position", name=op.f("uq_center_industry_center_id_position")),
    )
    op.create_table(
        "center_party",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_center_party_center_id_center")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_center_party_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_party")),
    )
    with op.batch_alter_table("center_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_center_party_center_id"), ["center_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_center_party_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "center_state_change",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=False),
        sa.Column("document_no", sa.String(length=100), nullable=True),
        sa.Column("operator", sa.String(length=100), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_center_state_change_center_id_center")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_center_state_change")),
    )
    with op.batch_alter_table("center_state_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_center_state_change_center_id_changed_on", ["center_id", "changed_on"], unique=False
        )

    op.create_table(
        "cto_filing",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("filing_no", sa.String(length=50), nullable=False),
        sa.Column("filing_date", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"], ["organization.id"], name=op.f("fk_cto_filing_organization_id_organization")
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_cto_filing_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cto_filing")),
    )
    with op.batch_alter_table("cto_filing", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cto_filing_organization_id"), ["organization_id"], unique=False)

    op.create_table(
        "declaration",
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("host_id", sa.Integer(), nullable=False),
        sa.Column("application_date", sa.Date(), nullable=False),
        sa.Column("name_zh", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=400), nullable=False),
        sa.Column("research_direction", sa.String(length=500), nullable=False),
        sa.Column("rd_org_established", sa.Date(), nullable=True),
        sa.Column("floor_area_m2", sa.Float(), nullable=True),
        sa.Column("competent_department", sa.String(length=200), nullable=True),
        sa.Column("first_level_legal_person", sa.Boolean(), nullable=False),
        sa.Column("cto_name", sa.String(length=50), nullable=True),
        sa.Column("cto_filing_no", sa.String(length=50), nullable=True),
        sa.Column("cto_filing_date", sa.Date(), nullable=True),
        sa.Column("signature_name", sa.String(length=50), nullable=True),
        sa.Column("signature_role", sa.String(length=30), nullable=True),
        sa.Column("signature_date", sa.Date(), nullable=True),
        sa.Column("previous_revocation_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("source_json", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["annual_call.id"], name=op.f("fk_declaration_call_id_annual_call")
        ),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_declaration_center_id_center")),
        sa.ForeignKeyConstraint(
            ["host_id"], ["organization.id"], name=op.f("fk_declaration_host_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration")),
    )
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_declaration_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_center_id"), ["center_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_declaration_host_id"), ["host_id"], unique=False)

    op.create_table(
        "director_appointment",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("appointed_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("term_ends_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_director_appointment_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_director_appointment_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_director_appointment")),
    )
    with op.batch_alter_table("director_appointment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_director_appointment_center_id"), ["center_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_director_appointment_person_id"), ["person_id"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("participated", sa.Boolean(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=True),
        sa.Column("grade", sa.String(length=20), nullable=True),
        sa.Column("conditions_ok", sa.Boolean(), nullable=True),
        sa.Column("violations_json", sa.Text(), nullable=True),
        sa.Column("notice_date", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_evaluation_center_id_center")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["evaluation_round.id"], name=op.f("fk_evaluation_round_id_evaluation_round")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
        sa.UniqueConstraint("round_id", "center_id", name=op.f("uq_evaluation_round_id_center_id")),
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evaluation_center_id"), ["center_id"], unique=False)

    op.create_table(
        "expert",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("specialty", sa.String(length=200), nullable=False),
        sa.Column("industries", sa.String(length=300), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_expert_person_id_person")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert")),
        sa.UniqueConstraint("person_id", name=op.f("uq_expert_person_id")),
    )
    op.create_table(
        "expert_committee_term",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("term_no", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("chair_person_id", sa.Integer(), nullable=True),
        sa.Column("recommended_on", sa.Date(), nullable=True),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_expert_committee_term_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["chair_person_id"], ["person.id"], name=op.f("fk_expert_committee_term_chair_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_committee_term")),
        sa.UniqueConstraint("center_id", "term_no", name=op.f("uq_expert_committee_term_center_id_term_no")),
    )
    op.create_table(
        "management_committee_member",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_management_committee_member_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_management_committee_member_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_management_committee_member_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_management_committee_member")),
    )
    with op.batch_alter_table("management_committee_member", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_management_committee_member_center_id"), ["center_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_management_committee_member_person_id"), ["person_id"], unique=False
        )

    op.create_table(
        "objection",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("submitter", sa.String(length=200), nullable=False),
        sa.Column("content", sa.String(length=2000), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.String(length=2000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_objection_center_id_center")),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["public_notice.id"], name=op.f("fk_objection_notice_id_public_notice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objection")),
    )
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objection_center_id"), ["center_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_objection_notice_id"), ["notice_id"], unique=False)

    op.create_table(
        "committee_meeting",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(length=20), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=True),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(length=300), nullable=False),
        sa.Column("minutes", sa.String(length=5000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_committee_meeting_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["expert_committee_term.id"],
            name=op.f("fk_committee_meeting_term_id_expert_committee_term"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_committee_meeting")),
    )
    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_committee_meeting_center_id"), ["center_id"], unique=False)

    op.create_table(
        "declaration_achievement",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("achieved_on", sa.Date(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=True),
        sa.Column("transferred", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_achievement_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_achievement")),
    )
    with op.batch_alter_table("declaration_achievement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_achievement_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "declaration_attachment",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=True),
        sa.Column("stored_path", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_attachment_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_attachment")),
    )
    with op.batch_alter_table("declaration_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_attachment_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "declaration_cooperation",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("partner", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cooperated_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_cooperation_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_cooperation")),
    )
    with op.batch_alter_table("declaration_cooperation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_cooperation_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "declaration_equipment",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("value_yuan", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_equipment_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_equipment")),
    )
    with op.batch_alter_table("declaration_equipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_equipment_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "declaration_finance",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("rd_expense_yuan", sa.Integer(), nullable=False),
        sa.Column("sales_revenue_yuan", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_finance_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_finance")),
        sa.UniqueConstraint(
            "declaration_id", "year", name=op.f("uq_declaration_finance_declaration_id_year")
        ),
    )
    op.create_table(
        "declaration_industry",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("industry", sa.String(length=50), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_industry_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_industry")),
        sa.UniqueConstraint(
            "declaration_id", "position", name=op.f("uq_declaration_industry_declaration_id_position")
        ),
    )
    op.create_table(
        "declaration_investment",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("amount_yuan", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_investment_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_investment")),
        sa.UniqueConstraint(
            "declaration_id", "year", name=op.f("uq_declaration_investment_declaration_id_year")
        ),
    )
    op.create_table(
        "declaration_party",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_party_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_declaration_party_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_party")),
    )
    with op.batch_alter_table("declaration_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_party_declaration_id"), ["declaration_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_declaration_party_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "declaration_project",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("approved_date", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_project_declaration_id_declaration"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_project")),
    )
    with op.batch_alter_table("declaration_project", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_project_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "declaration_staff",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("degree", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=10), nullable=False),
        sa.Column("tech_leader", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_declaration_staff_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_declaration_staff_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_staff")),
    )
    with op.batch_alter_table("declaration_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_declaration_staff_declaration_id"), ["declaration_id"], unique=False
        )

    op.create_table(
        "director_work_months",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["director_appointment.id"],
            name=op.f("fk_director_work_months_appointment_id_director_appointment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_director_work_months")),
        sa.UniqueConstraint(
            "appointment_id", "year", name=op.f("uq_director_work_months_appointment_id_year")
        ),
    )
    op.create_table(
        "expert_committee_member",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("organization_name", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_expert_committee_member_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["expert_committee_term.id"],
            name=op.f("fk_expert_committee_member_term_id_expert_committee_term"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_committee_member")),
        sa.UniqueConstraint(
            "term_id", "person_id", name=op.f("uq_expert_committee_member_term_id_person_id")
        ),
    )
    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expert_committee_member_person_id"), ["person_id"], unique=False)

    op.create_table(
        "indicator_score",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("group_code", sa.String(length=20), nullable=False),
        sa.Column("indicator", sa.String(length=100), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"], ["evaluation.id"], name=op.f("fk_indicator_score_evaluation_id_evaluation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_score")),
    )
    with op.batch_alter_table("indicator_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_score_evaluation_id"), ["evaluation_id"], unique=False)

    op.create_table(
        "public_notice_item",
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name=op.f("fk_public_notice_item_center_id_center")
        ),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_public_notice_item_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["public_notice.id"], name=op.f("fk_public_notice_item_notice_id_public_notice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_notice_item")),
        sa.UniqueConstraint("notice_id", "center_id", name=op.f("uq_public_notice_item_notice_id_center_id")),
    )
    with op.batch_alter_table("public_notice_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_public_notice_item_center_id"), ["center_id"], unique=False)

    op.create_table(
        "recognition",
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("document_no", sa.String(length=100), nullable=False),
        sa.Column("recognized_on", sa.Date(), nullable=False),
        sa.Column("title_awarded", sa.String(length=200), nullable=False),
        sa.Column("plaque_no", sa.String(length=50), nullable=True),
        sa.Column("certificate_no", sa.String(length=50), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"], ["annual_call.id"], name=op.f("fk_recognition_call_id_annual_call")
        ),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_recognition_center_id_center")),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_recognition_declaration_id_declaration")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recognition")),
        sa.UniqueConstraint("certificate_no", name=op.f("uq_recognition_certificate_no")),
        sa.UniqueConstraint("plaque_no", name=op.f("uq_recognition_plaque_no")),
    )
    with op.batch_alter_table("recognition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recognition_center_id"), ["center_id"], unique=False)

    op.create_table(
        "rectification",
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("notice_date", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("applied_on", sa.Date(), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["center_id"], ["center.id"], name=op.f("fk_rectification_center_id_center")),
        sa.ForeignKeyConstraint(
            ["evaluation_id"], ["evaluation.id"], name=op.f("fk_rectification_evaluation_id_evaluation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification")),
        sa.UniqueConstraint("evaluation_id", name=op.f("uq_rectification_evaluation_id")),
    )
    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rectification_center_id"), ["center_id"], unique=False)

    op.create_table(
        "review_assignment",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("recused", sa.Boolean(), nullable=False),
        sa.Column("recusal_reason", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["declaration.id"],
            name=op.f("fk_review_assignment_declaration_id_declaration"),
        ),
        sa.ForeignKeyConstraint(
            ["expert_id"], ["expert.id"], name=op.f("fk_review_assignment_expert_id_expert")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["review_session.id"], name=op.f("fk_review_assignment_session_id_review_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_assignment")),
        sa.UniqueConstraint(
            "session_id",
            "declaration_id",
            "expert_id",
            name=op.f("uq_review_assignment_session_id_declaration_id_expert_id"),
        ),
    )
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_assignment_declaration_id"), ["declaration_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_review_assignment_expert_id"), ["expert_id"], unique=False)

    op.create_table(
        "review_result",
        sa.Column("declaration_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("expert_score", sa.Float(), nullable=False),
        sa.Column("site_score", sa.Float(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=False),
        sa.Column("aggregation", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"], ["declaration.id"], name=op.f("fk_review_result_declaration_id_declaration")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["review_session.id"], name=op.f("fk_review_result_session_id_review_session")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_result")),
        sa.UniqueConstraint("declaration_id", name=op.f("uq_review_result_declaration_id")),
    )
    with op.batch_alter_table("review_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_result_session_id"), ["session_id"], unique=False)

    op.create_table(
        "meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["committee_meeting.id"],
            name=op.f("fk_meeting_attendance_meeting_id_committee_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_meeting_attendance_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendance")),
        sa.UniqueConstraint(
            "meeting_id", "person_id", name=op.f("uq_meeting_attendance_meeting_id_person_id")
        ),
    )
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_attendance_person_id"), ["person_id"], unique=False)

    op.create_table(
        "review_score",
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("scored_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["review_assignment.id"],
            name=op.f("fk_review_score_assignment_id_review_assignment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_score")),
        sa.UniqueConstraint("assignment_id", "kind", name=op.f("uq_review_score_assignment_id_kind")),
    )

    key_industry = sa.table(
        "key_industry",
        sa.column("name", sa.String()),
        sa.column("sort_order", sa.Integer()),
        sa.column("active", sa.Boolean()),
    )
    op.bulk_insert(
        key_industry,
        [{"name": name, "sort_order": n, "active": True} for n, name in enumerate(KEY_INDUSTRIES, start=1)],
    )


def downgrade() -> None:
    op.drop_table("review_score")
    with op.batch_alter_table("meeting_attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_attendance_person_id"))

    op.drop_table("meeting_attendance")
    with op.batch_alter_table("review_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_result_session_id"))

    op.drop_table("review_result")
    with op.batch_alter_table("review_assignment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_assignment_expert_id"))
        batch_op.drop_index(batch_op.f("ix_review_assignment_declaration_id"))

    op.drop_table("review_assignment")
    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rectification_center_id"))

    op.drop_table("rectification")
    with op.batch_alter_table("recognition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recognition_center_id"))

    op.drop_table("recognition")
    with op.batch_alter_table("public_notice_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_notice_item_center_id"))

    op.drop_table("public_notice_item")
    with op.batch_alter_table("indicator_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_score_evaluation_id"))

    op.drop_table("indicator_score")
    with op.batch_alter_table("expert_committee_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expert_committee_member_person_id"))

    op.drop_table("expert_committee_member")
    op.drop_table("director_work_months")
    with op.batch_alter_table("declaration_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_staff_declaration_id"))

    op.drop_table("declaration_staff")
    with op.batch_alter_table("declaration_project", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_project_declaration_id"))

    op.drop_table("declaration_project")
    with op.batch_alter_table("declaration_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_party_organization_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_party_declaration_id"))

    op.drop_table("declaration_party")
    op.drop_table("declaration_investment")
    op.drop_table("declaration_industry")
    op.drop_table("declaration_finance")
    with op.batch_alter_table("declaration_equipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_equipment_declaration_id"))

    op.drop_table("declaration_equipment")
    with op.batch_alter_table("declaration_cooperation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_cooperation_declaration_id"))

    op.drop_table("declaration_cooperation")
    with op.batch_alter_table("declaration_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_attachment_declaration_id"))

    op.drop_table("declaration_attachment")
    with op.batch_alter_table("declaration_achievement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_achievement_declaration_id"))

    op.drop_table("declaration_achievement")
    with op.batch_alter_table("committee_meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_committee_meeting_center_id"))

    op.drop_table("committee_meeting")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objection_notice_id"))
        batch_op.drop_index(batch_op.f("ix_objection_center_id"))

    op.drop_table("objection")
    with op.batch_alter_table("management_committee_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_management_committee_member_person_id"))
        batch_op.drop_index(batch_op.f("ix_management_committee_member_center_id"))

    op.drop_table("management_committee_member")
    op.drop_table("expert_committee_term")
    op.drop_table("expert")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_center_id"))

    op.drop_table("evaluation")
    with op.batch_alter_table("director_appointment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_director_appointment_person_id"))
        batch_op.drop_index(batch_op.f("ix_director_appointment_center_id"))

    op.drop_table("director_appointment")
    with op.batch_alter_table("declaration", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_declaration_host_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_center_id"))
        batch_op.drop_index(batch_op.f("ix_declaration_call_id"))

    op.drop_table("declaration")
    with op.batch_alter_table("cto_filing", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cto_filing_organization_id"))

    op.drop_table("cto_filing")
    with op.batch_alter_table("center_state_change", schema=None) as batch_op:
        batch_op.drop_index("ix_center_state_change_center_id_changed_on")

    op.drop_table("center_state_change")
    with op.batch_alter_table("center_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_center_party_organization_id"))
        batch_op.drop_index(batch_op.f("ix_center_party_center_id"))

    op.drop_table("center_party")
    op.drop_table("center_industry")
    op.drop_table("annual_report")
    with op.batch_alter_table("review_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_session_call_id"))

    op.drop_table("review_session")
    with op.batch_alter_table("public_notice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_public_notice_call_id"))

    op.drop_table("public_notice")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_organization_id"))
        batch_op.drop_index(batch_op.f("ix_person_name"))

    op.drop_table("person")
    with op.batch_alter_table("center", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_center_state"))
        batch_op.drop_index(batch_op.f("ix_center_name_zh"))
        batch_op.drop_index(batch_op.f("ix_center_host_id"))

    op.drop_table("center")
    with op.batch_alter_table("verification_draw", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_draw_year"))

    op.drop_table("verification_draw")
    with op.batch_alter_table("rule_set_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rule_set_version_year"))

    op.drop_table("rule_set_version")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organization_name"))

    op.drop_table("organization")
    op.drop_table("key_industry")
    op.drop_table("evaluation_round")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_txn"))
        batch_op.drop_index("ix_audit_entry_entity_entity_id")
        batch_op.drop_index("ix_audit_entry_at")

    op.drop_table("audit_entry")
    op.drop_table("annual_call")
