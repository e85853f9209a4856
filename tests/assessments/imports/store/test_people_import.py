"""Bulk invitations: every row invited or nobody, from the web's service and the command."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from assessments.imports import ImportFailed
from assessments.imports.store.people_import import people_import
from assessments.models import Invitation, Role

HEADER = "name,email,organisation,role\n"


def _import(partnership, text: str, admin=None):
    return people_import(
        partnership=partnership, filename="people.csv", stream=text.encode(), user=admin
    )


@pytest.mark.django_db(transaction=True)
def test_everyone_in_the_file_is_invited_and_emailed(partnership, police, council, admin_user):
    sent = _import(
        partnership,
        HEADER + "Ann Analyst,ann@example.org,Plymouth City Council,Analyst\n"
        "Pat Police,pat@example.org,devon and cornwall police,partner\n",
        admin_user,
    )
    assert [(s.invitation.email, s.invitation.role) for s in sent] == [
        ("ann@example.org", Role.ANALYST),
        ("pat@example.org", Role.PARTNER),
    ]
    assert Invitation.objects.get(email="pat@example.org").organisation == police
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "pat@example.org"]


@pytest.mark.django_db(transaction=True)
def test_one_bad_row_invites_nobody_and_names_its_row_and_column(partnership, police, analyst):
    analyst.email = "asha@example.org"
    analyst.save()
    with pytest.raises(ImportFailed) as failure:
        _import(
            partnership,
            HEADER + "Ann,ann@example.org,Devon and Cornwall Police,analyst\n"
            "Fi,fi@example.org,Fire Service,partner\n"
            "Asha,asha@example.org,,analyst\n"
            "Paz,paz@example.org,,partner\n",
        )
    problems = {(p.row, p.column): p.message for p in failure.value.problems}
    assert "no organisation called 'Fire Service'" in problems[(3, "organisation")]
    assert "already a member" in problems[(4, "email")]
    assert "speaks for an organisation" in problems[(5, "organisation")]
    assert not Invitation.objects.exists() and not mail.outbox


def test_the_command_invites_people_of_a_partnership_without_a_period(
    partnership, council, tmp_path, capsys
):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "Bo Board,bo@example.org,Plymouth City Council,Board member\n")
    call_command("import_data", str(path), "--partnership", "plymouth", "--kind", "people")
    out = capsys.readouterr().out
    assert "Invited 1 person" in out
    assert "bo@example.org\thttp://localhost:8000/invitations/" in out
    assert Invitation.objects.get().role == Role.BOARD


def test_the_command_refuses_a_period_for_people_and_reports_problems(partnership, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "Bo,bo@example.org,Nowhere,board\n")
    args = ["import_data", str(path), "--partnership", "plymouth", "--kind", "people"]
    with pytest.raises(CommandError, match="no --period"):
        call_command(*args, "--period", "2019/20")
    with pytest.raises(CommandError, match="row 2, column 'organisation'"):
        call_command(*args)


def test_other_kinds_still_need_a_period(partnership, tmp_path):
    path = tmp_path / "summary.csv"
    path.write_text("period,category,count\n2019/20,Burglary,3\n")
    with pytest.raises(CommandError, match="needs --period"):
        call_command("import_data", str(path), "--partnership", "plymouth", "--kind", "summary")
