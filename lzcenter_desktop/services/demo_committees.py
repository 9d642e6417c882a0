"""The demo's running of recognised centres (第四章 运行管理): directors with their terms and
months worked (第十一条、第十二条), the management committee (第十三条) and the expert guidance
committee with its terms and 换届 (第十四条、第十五条), and their meetings with attendance.
The deliberate M12b, M13c and M14b cases are made here (:data:`COMMITTEE_PROBLEMS`).
"""

from __future__ import annotations

from datetime import date, timedelta

from lzcenter_desktop.domain.dates import term_last_day
from lzcenter_desktop.services import demo_data as data
from lzcenter_desktop.services.demo_base import (
    COMMITTEE_PROBLEMS,
    DEMO_TODAY,
    REPORT_YEARS,
    BuilderBase,
    DemoCentre,
)
from lzcenter_desktop.storage.models import (
    CommitteeMeeting,
    DirectorAppointment,
    DirectorWorkMonths,
    ExpertCommitteeMember,
    ExpertCommitteeTerm,
    ManagementCommitteeMember,
    MeetingAttendance,
    Person,
)


class CommitteesBuilder(BuilderBase):
    """Directors, committees and their meetings."""

    def management(self, c: DemoCentre) -> None:
        assert c.center is not None and c.recognized_on is not None
        start = c.recognized_on
        limit = c.ends_on or DEMO_TODAY  # a revoked or forfeited centre stopped running
        problem = COMMITTEE_PROBLEMS.get(c.slot)
        # Director: appointed before recognition, aged ≤ 60; after 3 years reappointed or succeeded.
        director = self.person(organization=c.host, born_from=1968, born_to=1982)
        appointed = start - timedelta(days=self.rng.randint(60, 300))
        appointments: list[tuple[Person, date]] = [(director, appointed)]
        while appointments[-1][1] + timedelta(days=3 * 365) < limit:
            prev_person, prev_day = appointments[-1]
            nxt = prev_day + timedelta(days=3 * 365 + 1)
            person = (
                prev_person
                if self.rng.random() < 0.6
                else self.person(organization=c.host, born_from=1972, born_to=1985)
            )
            appointments.append((person, nxt))
        self.flush()
        for n, (person, day) in enumerate(appointments):
            last = n == len(appointments) - 1
            term_end = term_last_day(day, 3)
            appt = self.add(
                DirectorAppointment.model_validate(
                    {
                        "center_id": c.center.id,
                        "person_id": person.id,
                        "appointed_on": day,
                        "filed_on": day + timedelta(days=self.rng.randint(10, 40)),
                        "term_ends_on": term_end,
                        "ended_on": None if last else term_end,
                        "status": "active" if last else "ended",
                    }
                )
            )
            self.flush()
            # months worked at the centre, every year of the appointment up to the last annual report
            until = min(limit, date(REPORT_YEARS[-1], 12, 31)) if last else min(term_end, limit)
            for year in range(day.year, until.year + 1):
                if year == day.year:
                    months = 13 - day.month
                elif not last and year == term_end.year:
                    months = term_end.month
                else:
                    months = self.rng.randint(8, 12)
                if problem == "M12b" and last and year == REPORT_YEARS[-1] and day.year < year:
                    months = 5  # seconded to another post for most of the year (deliberate M12b case)
                self.add(
                    DirectorWorkMonths.model_validate(
                        {"appointment_id": appt.id, "year": year, "months": months}
                    )
                )
                self.director_months[(c.center.id or 0, year)] = months
        # Management committee: people of the host and co-builder.
        members = [appointments[-1][0]] + [
            self.person(organization=c.host, born_from=1970, born_to=1990, title="副高级", degree="硕士")
            for _ in range(self.rng.randint(2, 3))
        ]
        if c.co_builder is not None:
            members.append(self.person(organization=c.co_builder, born_from=1965, born_to=1985))
        self.flush()
        for n, p in enumerate(members):
            self.add(
                ManagementCommitteeMember.model_validate(
                    {
                        "center_id": c.center.id,
                        "person_id": p.id,
                        "organization_id": p.organization_id,
                        "role": "chair" if n == 0 else "member",
                        "joined_on": start,
                    }
                )
            )
        for year in range(start.year + 1, limit.year + 1):
            count = 2 if year == DEMO_TODAY.year else self.rng.choice((2, 2, 3))
            if problem == "M13c" and year == REPORT_YEARS[-1]:
                count = 1  # the second meeting of 2025 never took place (deliberate M13c case)
            for k in range(count):
                held = date(year, 3 + k * 4, self.rng.randint(5, 25))
                if held >= limit:
                    continue
                self.meeting(
                    c, "management", None, held, members, self.rng.choice(data.MEETING_TOPICS_MANAGEMENT), 1
                )
        self.expert_committee(c, start, limit, even=problem == "M14b")

    def meeting(
        self,
        c: DemoCentre,
        committee: str,
        term_id: int | None,
        held: date,
        members: list[Person],
        topic: str,
        absent: int,
    ) -> None:
        assert c.center is not None
        meeting = self.add(
            CommitteeMeeting.model_validate(
                {
                    "center_id": c.center.id,
                    "committee": committee,
                    "term_id": term_id,
                    "held_on": held,
                    "topic": topic,
                }
            )
        )
        self.flush()
        present = members[:]
        for _ in range(self.rng.randint(0, absent)):
            present.pop(self.rng.randrange(1, len(present)))
        for p in present:
            self.add(MeetingAttendance.model_validate({"meeting_id": meeting.id, "person_id": p.id}))

    def expert_committee(self, c: DemoCentre, recognized: date, limit: date, *, even: bool = False) -> None:
        """Terms of the expert guidance committee up to ``limit``; with ``even`` the latest term
        has 8 members (deliberate M14b case: one member left at the 换届 and was not replaced)."""
        assert c.center is not None
        size = 9 if even else self.rng.choice((7, 9, 9, 11))
        own = 2 if even else self.rng.randint(1, size // 3)  # host/co-builder members ≤ 1/3
        insiders = [self.person(organization=c.host, born_from=1970, born_to=1985) for _ in range(own)]
        # external experts: never from the host or a co-building unit (第十四条、第十五条)
        own_units = {o.name for o in (c.host, c.co_builder) if o is not None}
        external = [p for p in self.external if p.organization_name not in own_units]
        outsiders = self.rng.sample(external, size - own)
        self.flush()
        members = outsiders + insiders  # the chair is outsiders[0]
        start = recognized + timedelta(days=self.rng.randint(20, 60))
        term_no = 1
        chair_terms = 0
        while start < limit:
            end = term_last_day(start, 3)
            if even and term_no > 1 and end >= limit:
                members = [p for p in members if p is not outsiders[-1]]
            chair_terms += 1
            if chair_terms > 2:  # 第十五条: at most two consecutive terms as chair
                members = members[1:] + members[:1]
                chair_terms = 1
            term = self.add(
                ExpertCommitteeTerm.model_validate(
                    {
                        "center_id": c.center.id,
                        "term_no": term_no,
                        "starts_on": start,
                        "ends_on": end,
                        "chair_person_id": members[0].id,
                        "recommended_on": start - timedelta(days=20),
                        "reviewed_on": start - timedelta(days=10),
                        "filed_on": start + timedelta(days=15),
                    }
                )
            )
            self.flush()
            for p in members:
                category = "center_leader" if p in insiders else self._category(p)
                self.add(
                    ExpertCommitteeMember.model_validate(
                        {
                            "term_id": term.id,
                            "person_id": p.id,
                            "category": category,
                            "organization_name": p.organization_name,
                        }
                    )
                )
            for year in range(start.year, min(end.year, DEMO_TODAY.year) + 1):
                held = date(year, self.rng.randint(4, 10), self.rng.randint(1, 28))
                if start <= held <= end and held < limit:
                    self.meeting(
                        c,
                        "expert",
                        term.id,
                        held,
                        members,
                        self.rng.choice(data.MEETING_TOPICS_EXPERT),
                        len(members) // 3,  # attendance ≥ 2/3
                    )
            # 换届: replace at least one third of the external members (never the whole committee).
            replace = -(-size // 3)
            fresh = self.rng.sample([p for p in external if p not in members], replace)
            keep_out = [p for p in members if p not in insiders][: len(outsiders) - replace]
            members = keep_out + fresh + insiders
            outsiders = keep_out + fresh
            start = end + timedelta(days=1)
            term_no += 1

    def _category(self, p: Person) -> str:
        for org, category in data.EXTERNAL_ORGS:
            if org == p.organization_name:
                return category
        return "other"
