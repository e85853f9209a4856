"""`manage.py load_demo`: the Safer Plymouth 2019/20 demo."""

from django.core.management.base import BaseCommand

from assessments.demo import DEMO_PASSWORD, DEMO_USERS
from reports.demo import demo_full_load


class Command(BaseCommand):
    help = "Load the Safer Plymouth 2019/20 demo (safe to run more than once)."

    def handle(self, *args, **options) -> None:
        assessment = demo_full_load()
        risks = assessment.risks.count()
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo: {assessment}, {risks} risks."))
        names = ", ".join(f"{u.username} ({u.role})" for u in DEMO_USERS)
        self.stdout.write(f"Demo users: {names}; password for each: {DEMO_PASSWORD}")
