"""Putting a roster's trainees into an nbgrader gradebook in one transaction.

``Gradebook.update_or_create_student`` commits once per student: with SQLite that is one fsync per
trainee, which made ``kefu cohort init`` with 10,000 trainees take minutes. Here the same nbgrader
``Student`` rows are written through the gradebook's own session and committed once.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .roster import Trainee


def add_students(gb: Any, trainees: Iterable[Trainee]) -> int:
    """Create or update one nbgrader ``Student`` per trainee (id, last_name = name) in a single
    commit; returns how many were created. ``gb`` is an open ``nbgrader.api.Gradebook``."""
    from nbgrader.api import InvalidEntry, Student
    from sqlalchemy.exc import IntegrityError, StatementError

    trainees = list(trainees)
    wanted = {t.id for t in trainees}
    existing = {s.id: s for s in gb.db.query(Student).filter(Student.id.in_(wanted))} if len(wanted) < 900 \
        else {s.id: s for s in gb.db.query(Student) if s.id in wanted}  # SQLite caps bound parameters
    created = []
    for t in trainees:
        student = existing.get(t.id)
        if student is None:
            student = Student(id=t.id, last_name=t.name, first_name="")
            existing[t.id] = student
            created.append(student)
        else:
            student.last_name, student.first_name = t.name, ""
    try:
        gb.db.add_all(created)
        gb.db.commit()
    except (IntegrityError, StatementError) as exc:
        gb.db.rollback()
        raise InvalidEntry(*exc.args) from exc
    return len(created)
