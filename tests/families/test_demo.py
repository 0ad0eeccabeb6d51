"""The demo registry (issue 3 point 11): families across municipalities, siblings,
levels, factors and one live sibling alert."""

from django.core.management import call_command

from cases.models import Person, PersonFactor
from families.alerts import persons_with_sibling_alert, sibling_alerts
from families.models import Family
from families.selectors import families_of
from organisations.models import User


def test_demo_families_with_a_live_sibling_alert(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent

    assert Family.objects.count() == 3
    assert set(Family.objects.values_list("municipality__name", flat=True)) == {
        "Ishøj",
        "Albertslund",
    }
    assert PersonFactor.objects.exists()
    ssp = User.objects.get(username="ssp")
    bilal = Person.objects.get(given_name="Bilal")
    alerts = sibling_alerts(user=ssp, person=bilal)
    assert [a.sibling.given_name for a in alerts] == ["Adam"]
    assert len(alerts[0].reasons) == 2  # red, and §115 stk. 5 to the named SSP
    assert bilal in persons_with_sibling_alert(user=ssp)
    # Albertslund's coordinator sees none of Ishøj's family.
    other = User.objects.get(username="ssp.albertslund")
    assert sibling_alerts(user=other, person=bilal) == []
    # The father of two households belongs to both.
    erik = Person.objects.get(given_name="Erik")
    assert families_of(user=other, person=erik).count() == 2
