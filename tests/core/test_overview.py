"""The overview tells the truth (issue 18, point 1): every figure is a link to the
list of exactly those rows, for every role, on the demo data and on a generated
data set; and no page announces what is "to come"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from benchmarks.volume import USERNAME_PREFIX, seed_volume
from organisations.models import Membership, Role, User
from tests.conftest import verified_client
from tests.seams import figures_on, rows_behind

DEMO_USERS = [
    "ssp",
    "politi",
    "exit",
    "socialraadgiver",
    "leder",
    "revisor",
    "admin",
    "ssp.albertslund",
]


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    return {user.username: user for user in User.objects.all()}


def _assert_figures_match_their_lists(user) -> list:
    client = verified_client(user)
    figures = figures_on(client)
    for figure in figures:
        assert rows_behind(client, figure.url) == figure.count, (
            user.username,
            figure,
        )
    return figures


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_figure_on_the_demo_overview_is_its_list(demo, username):
    figures = _assert_figures_match_their_lists(demo[username])
    if username not in ("revisor",):
        assert figures, f"{username}'s overview shows no figure"


def test_the_demo_overviews_show_the_work_that_is_there(demo):
    """The first morning's failures: figures that said nothing was there."""
    counts = {
        username: {f.key: f.count for f in figures_on(verified_client(demo[username]))}
        for username in ("ssp", "socialraadgiver")
    }
    assert counts["ssp"]["persons.visible"] > 0
    assert counts["socialraadgiver"]["inbox.all"] > 0


@pytest.mark.django_db
def test_every_figure_on_a_generated_data_set_is_its_list():
    seed_volume(persons=150, seed=18, reset=True)
    seen_roles = set()
    for role in Role:
        membership = (
            Membership.objects.filter(
                role=role, user__username__startswith=USERNAME_PREFIX
            )
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if membership is None:
            continue
        seen_roles.add(role)
        _assert_figures_match_their_lists(membership.user)
    assert {Role.SSP_COORDINATOR, Role.POLICE_LIAISON, Role.MANAGER} <= seen_roles


# Words that promise a module or a feature instead of showing one: the foundation's
# dashboard said "Meetings and agendas arrive with the §115 meeting module".
_TO_COME = re.compile(
    r"arrive with|will arrive|coming soon|to come|not yet available|"
    r"kommer med|kommer senere|kommer snart|på vej|endnu ikke tilgængelig",
    re.IGNORECASE,
)


def test_no_template_announces_what_is_to_come():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in sorted((root / "templates").rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _TO_COME.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    catalogue = root / "locale" / "da" / "LC_MESSAGES" / "django.po"
    for number, line in enumerate(catalogue.read_text().splitlines(), 1):
        if line.startswith(("msgid", "msgstr")) and _TO_COME.search(line):
            offenders.append(f"{catalogue.relative_to(root)}:{number}: {line}")
    assert not offenders, "\n".join(offenders)
