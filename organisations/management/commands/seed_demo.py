"""`python manage.py seed_demo`: the demo world, idempotently. Demo only."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo import seed_persons
from conversations.demo import seed_conversations
from exitprogram.demo import seed_exit_cases
from families.demo import seed_families
from families.plan_demo import seed_family_plan
from meetings.demo import seed_meetings
from organisations.demo import DEMO_PASSWORD, DEMO_USERS, seed_organisations, seed_users


class Command(BaseCommand):
    help = "Create the Vestegn municipalities, agencies and one demo user per role."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates users with published passwords; "
                "it runs only with DEBUG on."
            )
        seed_organisations()
        users = seed_users()
        seed_persons(actor=users["ssp"])
        seed_families(users=users)
        seed_conversations(users=users)
        seed_meetings(users=users)
        seed_exit_cases(users=users)
        seed_family_plan(users=users)
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Demo logins:"))
        for username, (role, _kind, municipality) in DEMO_USERS.items():
            where = municipality or "Københavns Vestegns Politi"
            self.stdout.write(
                f"  {username:<16} {DEMO_PASSWORD}   {role.label} ({where})"
            )
        if not settings.TVAERS_2FA_REQUIRED:
            self.stdout.write("Two-factor authentication is OFF for this demo.")
