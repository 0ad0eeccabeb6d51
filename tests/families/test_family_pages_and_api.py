"""Family pages and /api/v1/families/ (issue 3 points 4, 5 and 9): the flows through
the client, what each viewer may see of a family, the permission matrix, Danish field
errors, several households, member cases and the sibling alert on the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from access.permissions import VIEW
from access.services import access_grant
from cases.models import ConcernLevel, Person
from cases.services import person_create, person_set_concern_level
from families.member_cases import register_case_kind, unregister_case_kind
from families.models import Family, FamilyMember, MemberRole, Relation, RelationKind
from families.selectors import sibling_ids
from families.services import (
    family_add_member,
    family_add_new_person,
    family_create,
)

REQUIRED = ["Dette felt er påkrævet."]


def family_url(family):
    return reverse("families:family_detail", args=[family.pk])


def person_url(person):
    return reverse("cases:person_detail", args=[person.pk])


def grant(personas, obj, agency, actions=(VIEW,), actor=None):
    access_grant(
        actor=actor or personas.ssp,
        obj=obj,
        agency=agency,
        actions=list(actions),
        legal_basis="OWN_TASK",
    )


def set_red(personas, world, person):
    person_set_concern_level(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        person=person,
        level=ConcernLevel.RED,
        reason="Gentagen kriminalitet",
    )


def listed_on_page(client):
    response = client.get(reverse("families:family_list"))
    assert response.status_code == 200
    return {f.pk for f in response.context["page"].object_list}


def listed_by_api(client):
    response = client.get("/api/v1/families/")
    assert response.status_code == 200
    return {r["id"] for r in response.json()["results"]}


# --- The flows through the pages -------------------------------------------------


def test_create_a_family_and_fill_it_through_the_pages(
    personas, world, client_for, record_in_ishoej
):
    client = client_for(personas.ssp)
    assert client.get(reverse("families:family_create")).status_code == 200
    created = client.post(
        reverse("families:family_create"),
        {
            "name": "Familien Sørensen",
            "municipality": world.ishoej.pk,
            "legal_basis": "OWN_TASK",
        },
    )
    assert created.status_code == 302
    family = Family.objects.get()
    assert created["Location"] == family_url(family)
    assert family.recorded_by == world.ssp_ishoej
    assert listed_on_page(client) == {family.pk}

    new = client.post(
        reverse("families:family_add_new", args=[family.pk]),
        {
            "role": MemberRole.MOTHER,
            "given_name": "Susanne",
            "family_name": "Sørensen",
            "phone": "22334455",
        },
    )
    assert new.status_code == 302
    child = client.post(
        reverse("families:family_add_new", args=[family.pk]),
        {
            "role": MemberRole.CHILD,
            "given_name": "Sebastian",
            "family_name": "Sørensen",
            "cpr": "050609-4113",
            "sibling_of_children": "on",
        },
    )
    assert child.status_code == 302
    mother = Person.objects.get(given_name="Susanne")
    sebastian = Person.objects.get(given_name="Sebastian")
    assert Relation.objects.filter(
        person=sebastian, relative=mother, kind=RelationKind.MOTHER
    ).exists()

    # An existing person, found by CPR number.
    sofie = record_in_ishoej(
        given_name="Sofie", family_name="Hansen", cpr="120311-4228"
    )
    existing = client.post(
        reverse("families:family_add_existing", args=[family.pk]),
        {"cpr": "1203114228", "role": MemberRole.CHILD, "sibling_of_children": "on"},
    )
    assert existing.status_code == 302
    assert FamilyMember.objects.filter(family=family, person=sofie).exists()
    # Siblings through the household's mother (no direct relation needed).
    assert Relation.objects.filter(
        person=sofie, relative=mother, kind=RelationKind.MOTHER
    ).exists()
    assert set(sibling_ids(sofie).values_list("pk", flat=True)) == {sebastian.pk}

    # A relation between two members, recorded by hand.
    father = record_in_ishoej(given_name="Frank", family_name="Hansen")
    family_add_member(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=family,
        person=father,
        role=MemberRole.OTHER,
    )
    relation = client.post(
        reverse("families:family_record_relation", args=[family.pk]),
        {"person": str(sofie.pk), "kind": RelationKind.FATHER, "relative": father.pk},
    )
    assert relation.status_code == 302
    assert Relation.objects.filter(
        person=sofie, relative=father, kind=RelationKind.FATHER, agency=world.ssp_ishoej
    ).exists()

    page = client.get(family_url(family))
    html = page.content.decode()
    for name in ("Susanne Sørensen", "Sebastian Sørensen", "Sofie Hansen"):
        assert name in html
    assert {m.person_id for m in page.context["members"]} == {
        mother.pk,
        sebastian.pk,
        sofie.pk,
        father.pk,
    }

    # Removing a member leaves the relations: a sibling is a sibling after a move.
    removed = client.post(
        reverse("families:family_remove_member", args=[family.pk, sofie.pk])
    )
    assert removed.status_code == 302
    assert not FamilyMember.objects.filter(family=family, person=sofie).exists()
    assert Person.objects.filter(pk=sofie.pk).exists()
    assert Relation.objects.filter(person=sofie, relative=mother).exists()
    assert "Sofie Hansen" not in client.get(family_url(family)).content.decode()


def test_adding_by_cpr_finds_only_visible_persons(personas, world, hansen, client_for):
    family, *_ = hansen
    person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Fremmed",
        family_name="Barn",
        cpr="120311-4228",
    )
    client = client_for(personas.ssp)
    for cpr in ("120311-4228", "010101-0000"):
        response = client.post(
            reverse("families:family_add_existing", args=[family.pk]),
            {"cpr": cpr, "role": MemberRole.CHILD},
        )
        assert response.status_code == 400
        assert "cpr" in response.context["existing_form"].errors
        assert "Fremmed" not in response.content.decode()
    assert family.memberships.count() == 3


def test_adding_by_cpr_does_not_take_a_name(
    hansen, personas, world, client_for, record_in_ishoej
):
    """The field asks for a CPR number: a name typed into it must not add whoever
    happens to match the name first."""
    family, *_ = hansen
    record_in_ishoej(given_name="Sofie", family_name="Navnesen", cpr="120311-4228")
    response = client_for(personas.ssp).post(
        reverse("families:family_add_existing", args=[family.pk]),
        {"cpr": "Sofie", "role": MemberRole.CHILD},
    )
    assert response.status_code == 400
    assert "cpr" in response.context["existing_form"].errors
    assert family.memberships.count() == 3


def test_page_forms_refuse_bad_input_with_field_errors(hansen, personas, client_for):
    family, mother, older, _younger = hansen
    client = client_for(personas.ssp)
    missing = client.post(reverse("families:family_create"), {"legal_basis": "x"})
    assert missing.status_code == 400
    assert missing.context["form"].errors["name"] == REQUIRED
    new = client.post(
        reverse("families:family_add_new", args=[family.pk]),
        {"role": MemberRole.CHILD, "given_name": "Uden"},
    )
    assert new.status_code == 400
    assert new.context["new_form"].errors["family_name"] == REQUIRED
    bad_cpr = client.post(
        reverse("families:family_add_new", args=[family.pk]),
        {
            "role": MemberRole.CHILD,
            "given_name": "Forkert",
            "family_name": "Cpr",
            "cpr": "320112-1234",
        },
    )
    assert bad_cpr.status_code == 400
    assert "cpr" in bad_cpr.context["new_form"].errors
    same = client.post(
        reverse("families:family_record_relation", args=[family.pk]),
        {"person": older.pk, "kind": RelationKind.SIBLING, "relative": older.pk},
    )
    assert same.status_code == 400
    assert same.context["relation_form"].errors
    assert Family.objects.count() == 1
    assert family.memberships.count() == 3
    assert not Person.objects.filter(given_name__in=["Uden", "Forkert"]).exists()


# --- What the viewer sees ----------------------------------------------------------


def test_family_page_shows_only_members_the_viewer_may_see(
    hansen, personas, world, client_for
):
    family, mother, older, younger = hansen
    grant(personas, family, world.social_ishoej)
    grant(personas, younger, world.social_ishoej)
    client = client_for(personas.social)
    page = client.get(family_url(family))
    assert page.status_code == 200
    assert [m.person_id for m in page.context["members"]] == [younger.pk]
    html = page.content.decode()
    assert "Yasmin Hansen" in html
    assert "Omar" not in html and "Mette" not in html
    assert page.context["can_change"] is False
    api = client.get(f"/api/v1/families/{family.pk}/").json()
    assert [m["name"] for m in api["members"]] == ["Yasmin Hansen"]
    assert "Omar" not in str(api) and "Mette" not in str(api)


def test_family_page_shows_ages_and_concern_levels(hansen, personas, world, client_for):
    family, mother, older, younger = hansen
    set_red(personas, world, older)
    older.refresh_from_db()
    client = client_for(personas.ssp)
    page = client.get(family_url(family))
    rows = {m.person_id: m for m in page.context["members"]}
    assert rows[older.pk].person.age == older.age
    assert rows[older.pk].person.concern_level == "red"
    assert rows[mother.pk].person.age is None
    html = page.content.decode()
    assert f"<td>{older.age}</td>" in html and f"<td>{younger.age}</td>" in html
    assert html.count("concern-red") == 1
    members = {
        m["name"]: m
        for m in client.get(f"/api/v1/families/{family.pk}/").json()["members"]
    }
    assert members["Omar Hansen"]["age"] == older.age
    assert members["Omar Hansen"]["concern_level"] == "red"
    assert members["Yasmin Hansen"]["concern_level"] == ""
    assert members["Mette Hansen"]["role"] == MemberRole.MOTHER


# Session, user and device; the request's savepoint and its release; the family
# with whether the user may change it (one query); the user's agency; the members;
# the open cases of each kind (two); the assessments; the unread notifications; the
# audit entry and its subjects.
FAMILY_PAGE_BOUND = 14


def _count(client, target) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(target)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["ssp", "police"])
def test_family_page_queries_do_not_grow(hansen, personas, world, client_for, who):
    family, *persons = hansen
    if who == "police":
        # A grantee who may see but not change: the page leaves out the forms.
        grant(personas, family, world.police_vestegn)
        for person in persons:
            grant(personas, person, world.police_vestegn)
    client = client_for(getattr(personas, who))
    client.get(family_url(family))  # warm the session
    small = _count(client, family_url(family))
    for i in range(5):
        child = family_add_new_person(
            actor=personas.ssp,
            agency=world.ssp_ishoej,
            family=family,
            role=MemberRole.CHILD,
            given_name=f"Barn{i}",
            family_name="Hansen",
        ).person
        if who == "police":
            grant(personas, child, world.police_vestegn)
    page = client.get(family_url(family))
    assert len(page.context["members"]) == 8
    large = _count(client, family_url(family))
    assert large == small <= FAMILY_PAGE_BOUND


# --- Permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["social", "ssp_albertslund", "police", "police_other_district"]
)
def test_outsiders_get_404_and_do_not_see_the_family_listed(
    who, hansen, personas, client_for
):
    family, _mother, older, _younger = hansen
    client = client_for(getattr(personas, who))
    page = client.get(family_url(family))
    assert page.status_code == 404
    assert "Hansen" not in page.content.decode()
    api = client.get(f"/api/v1/families/{family.pk}/")
    assert api.status_code == 404 and "Hansen" not in api.content.decode()
    assert family.pk not in listed_on_page(client)
    assert str(family.pk) not in listed_by_api(client)
    # Nor may they write to it.
    writes = [
        (
            reverse("families:family_add_new", args=[family.pk]),
            {"role": "child", "given_name": "X", "family_name": "Y"},
        ),
        (
            reverse("families:family_record_relation", args=[family.pk]),
            {"person": older.pk, "kind": "sibling", "relative": older.pk},
        ),
        (reverse("families:family_remove_member", args=[family.pk, older.pk]), {}),
    ]
    for url, data in writes:
        assert client.post(url, data).status_code == 404
    assert (
        client.post(
            f"/api/v1/families/{family.pk}/members/",
            {"role": "child", "given_name": "X", "family_name": "Y"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert family.memberships.count() == 3


def test_police_see_granted_families_across_their_district(
    hansen, personas, world, client_for
):
    family, *_ = hansen
    albertslund = family_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        name="Familien Larsen",
    )
    grant(personas, family, world.police_vestegn)
    grant(personas, albertslund, world.police_vestegn, actor=personas.ssp_albertslund)
    client = client_for(personas.police)
    assert client.get(family_url(family)).status_code == 200
    assert client.get(family_url(albertslund)).status_code == 200
    assert client.get(f"/api/v1/families/{family.pk}/").json()["name"] == (
        "Familien Hansen"
    )
    assert listed_on_page(client) == {family.pk, albertslund.pk}
    assert listed_by_api(client) == {str(family.pk), str(albertslund.pk)}
    # The grant is to the Vestegn police: the other district's police see nothing.
    other = client_for(personas.police_other_district)
    assert other.get(family_url(family)).status_code == 404
    assert listed_by_api(other) == set()


def test_police_record_families_in_their_district_only(personas, world, client_for):
    client = client_for(personas.police)
    for municipality, expected in (
        (world.albertslund, 201),
        (world.ishoej, 201),
        (world.helsingoer, 400),
    ):
        response = client.post(
            "/api/v1/families/",
            {"name": f"Familie i {municipality.name}", "municipality": municipality.pk},
            content_type="application/json",
        )
        assert response.status_code == expected, response.content
    assert set(Family.objects.values_list("municipality__name", flat=True)) == {
        "Albertslund",
        "Ishøj",
    }


def test_a_view_only_grantee_may_not_change_the_family(
    hansen, personas, world, client_for
):
    family, mother, older, younger = hansen
    grant(personas, family, world.police_vestegn)
    for person in (mother, older, younger):
        grant(personas, person, world.police_vestegn)
    client = client_for(personas.police)
    page = client.get(family_url(family))
    assert page.status_code == 200 and page.context["can_change"] is False
    assert page.context["new_form"] is None
    assert page.context["relation_form"] is None
    pages = [
        (
            reverse("families:family_add_new", args=[family.pk]),
            {"role": "child", "given_name": "Ny", "family_name": "Hansen"},
        ),
        (
            reverse("families:family_add_existing", args=[family.pk]),
            {"cpr": "010107-4111", "role": "child"},
        ),
        (
            reverse("families:family_record_relation", args=[family.pk]),
            {"person": older.pk, "kind": "half_sibling", "relative": younger.pk},
        ),
        (reverse("families:family_remove_member", args=[family.pk, older.pk]), {}),
    ]
    for url, data in pages:
        assert client.post(url, data).status_code == 403, url
    apis = [
        (
            f"/api/v1/families/{family.pk}/members/",
            {"role": "child", "given_name": "Ny", "family_name": "Hansen"},
        ),
        (
            f"/api/v1/families/{family.pk}/relations/",
            {"person": str(older.pk), "relative": str(younger.pk), "kind": "other"},
        ),
    ]
    for url, data in apis:
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == 403, url
    assert family.memberships.count() == 3
    assert not Person.objects.filter(given_name="Ny").exists()
    assert not Relation.objects.filter(
        kind__in=[RelationKind.HALF_SIBLING, RelationKind.OTHER]
    ).exists()


# --- The API -----------------------------------------------------------------------


def test_api_creates_a_family_adds_members_and_relations(
    personas, world, client_for, record_in_ishoej
):
    client = client_for(personas.ssp)
    created = client.post(
        "/api/v1/families/",
        {"name": "Familien Api", "municipality": str(world.ishoej.pk)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    family_id = created.json()["id"]
    assert created.json()["recorded_by"] == "Ishøj SSP"

    new = client.post(
        f"/api/v1/families/{family_id}/members/",
        {
            "role": "child",
            "given_name": "Ali",
            "family_name": "Api",
            "cpr": "050609-4113",
        },
        content_type="application/json",
    )
    assert new.status_code == 201, new.content
    assert [m["name"] for m in new.json()["members"]] == ["Ali Api"]
    uncle = record_in_ishoej(given_name="Onkel", family_name="Api")
    existing = client.post(
        f"/api/v1/families/{family_id}/members/",
        {"role": "other", "person": str(uncle.pk)},
        content_type="application/json",
    )
    assert existing.status_code == 201
    assert {m["name"] for m in existing.json()["members"]} == {"Ali Api", "Onkel Api"}
    ali = Person.objects.get(given_name="Ali")
    relation = client.post(
        f"/api/v1/families/{family_id}/relations/",
        {"person": str(ali.pk), "relative": str(uncle.pk), "kind": "other"},
        content_type="application/json",
    )
    assert relation.status_code == 201, relation.content
    assert relation.json()["agency"] == "Ishøj SSP"
    assert Relation.objects.filter(person=ali, relative=uncle, kind="other").exists()


def test_api_bad_requests_get_danish_field_errors_and_save_nothing(
    hansen, personas, world, client_for
):
    family, mother, older, _younger = hansen
    client = client_for(personas.ssp)

    def post(url, data):
        response = client.post(
            url, data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="da"
        )
        assert response.status_code == 400, response.content
        return response.json()["errors"]

    errors = post("/api/v1/families/", {"municipality": str(world.ishoej.pk)})
    assert errors["name"] == REQUIRED
    errors = post("/api/v1/families/", {})
    assert errors["name"] == REQUIRED and errors["municipality"] == REQUIRED

    members = f"/api/v1/families/{family.pk}/members/"
    assert post(members, {"given_name": "A", "family_name": "B"})["role"] == REQUIRED
    assert "person" in post(members, {"role": "child", "given_name": "Kun"})
    assert "cpr" in post(
        members,
        {"role": "child", "given_name": "A", "family_name": "B", "cpr": "320112-1234"},
    )
    assert "person" in post(members, {"role": "child", "person": str(older.pk)})

    relations = f"/api/v1/families/{family.pk}/relations/"
    errors = post(relations, {})
    assert errors["person"] == REQUIRED
    assert errors["relative"] == REQUIRED and errors["kind"] == REQUIRED
    assert "relative" in post(
        relations,
        {"person": str(older.pk), "relative": str(older.pk), "kind": "sibling"},
    )
    assert "kind" in post(
        relations,
        {"person": str(older.pk), "relative": str(mother.pk), "kind": "cousin"},
    )
    assert Family.objects.count() == 1
    assert family.memberships.count() == 3
    assert Person.objects.count() == 3


def test_api_refuses_a_person_the_caller_may_not_see(
    hansen, personas, world, client_for
):
    family, _mother, older, _younger = hansen
    stranger = person_create(
        actor=personas.ssp_albertslund,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        given_name="Fremmed",
        family_name="Person",
    )
    client = client_for(personas.ssp)
    member = client.post(
        f"/api/v1/families/{family.pk}/members/",
        {"role": "child", "person": str(stranger.pk)},
        content_type="application/json",
    )
    assert member.status_code == 404
    relation = client.post(
        f"/api/v1/families/{family.pk}/relations/",
        {"person": str(older.pk), "relative": str(stranger.pk), "kind": "sibling"},
        content_type="application/json",
    )
    assert relation.status_code == 400
    assert "Fremmed" not in relation.content.decode()
    assert not FamilyMember.objects.filter(person=stranger).exists()
    assert not Relation.objects.filter(relative=stranger).exists()


# --- Several households, member cases ---------------------------------------------


def test_a_child_of_divorced_parents_belongs_to_both_households(
    hansen, personas, world, client_for, record_in_ishoej
):
    mothers, _mother, older, _younger = hansen
    fathers = family_create(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        municipality=world.ishoej,
        name="Fars husstand",
    )
    father = record_in_ishoej(given_name="Frederik", family_name="Hansen")
    family_add_member(
        actor=personas.ssp,
        agency=world.ssp_ishoej,
        family=fathers,
        person=father,
        role=MemberRole.FATHER,
    )
    client = client_for(personas.ssp)
    added = client.post(
        reverse("families:family_add_existing", args=[fathers.pk]),
        {"cpr": "010107-4111", "role": MemberRole.CHILD},
    )
    assert added.status_code == 302
    page = client.get(person_url(older))
    assert {f.pk for f in page.context["families"]} == {mothers.pk, fathers.pk}
    html = page.content.decode()
    assert "Familien Hansen" in html and "Fars husstand" in html
    assert family_url(mothers) in html and family_url(fathers) in html
    assert "Frederik Hansen" in html  # the father, recorded as the child's father
    assert Relation.objects.filter(
        person=older, relative=father, kind=RelationKind.FATHER
    ).exists()


def test_member_cases_come_from_registered_case_kinds(hansen, personas, client_for):
    family, _mother, older, _younger = hansen
    label = "Exit-forløb (testsag)"
    asked = []

    def open_for(user, person_ids):
        asked.append(user)
        return [pk for pk in person_ids if pk == older.pk]

    register_case_kind("tests.exit", label=label, open_for=open_for)
    try:
        client = client_for(personas.ssp)
        page = client.get(family_url(family))
        cases = {m.person_id: list(m.cases) for m in page.context["members"]}
        assert cases[older.pk] == [label]
        assert sum(1 for v in cases.values() if v) == 1
        assert label in page.content.decode()
        assert asked == [personas.ssp]
        api = client.get(f"/api/v1/families/{family.pk}/").json()
        by_name = {m["name"]: m["cases"] for m in api["members"]}
        assert by_name == {
            "Omar Hansen": [label],
            "Yasmin Hansen": [],
            "Mette Hansen": [],
        }
    finally:
        unregister_case_kind("tests.exit")
    page = client_for(personas.ssp).get(family_url(family))
    assert label not in page.content.decode()


# --- The sibling alert on the pages --------------------------------------------------


def test_sibling_alert_on_the_person_page_and_the_dashboard(
    hansen, personas, world, client_for
):
    _family, _mother, older, younger = hansen
    client = client_for(personas.ssp)
    assert "sibling-alert-heading" not in (
        client.get(person_url(younger)).content.decode()
    )
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert person_url(younger) not in dashboard

    set_red(personas, world, older)
    page = client.get(person_url(younger))
    assert [a.sibling.pk for a in page.context["alerts"]] == [older.pk]
    html = page.content.decode()
    assert 'id="sibling-alert-heading"' in html
    assert person_url(older) in html
    # Worded without labels: the alert does not call anyone a criminal.
    alert = html.split('id="sibling-alert-heading"')[1].split("</section>")[0]
    assert "kriminel" not in alert.lower() and "criminal" not in alert.lower()

    dashboard = client.get(reverse("core:dashboard"))
    assert dashboard.status_code == 200
    # The overview counts them and links to the list of exactly those persons.
    assert 'data-figure="families.attention" data-count="1"' in (
        dashboard.content.decode()
    )
    listing = client.get(reverse("families:attention")).content.decode()
    assert person_url(younger) in listing and "Yasmin Hansen" in listing
    assert person_url(older) not in listing  # the red sibling has no red sibling


def test_no_sibling_alert_for_an_agency_that_cannot_see_the_sibling(
    hansen, personas, world, client_for
):
    _family, _mother, older, younger = hansen
    set_red(personas, world, older)
    # Albertslund SSP (a coordinator, with the dashboard panel) and Ishøj social
    # services may see the younger child only.
    for agency in (world.ssp_albertslund, world.social_ishoej):
        grant(personas, younger, agency)
    for who in ("ssp_albertslund", "social"):
        client = client_for(getattr(personas, who))
        page = client.get(person_url(younger))
        assert page.status_code == 200
        assert page.context["alerts"] == []
        html = page.content.decode()
        assert "sibling-alert-heading" not in html and "Omar" not in html
        api = client.get(f"/api/v1/persons/{younger.pk}/sibling-alerts/")
        assert api.status_code == 200 and api.json() == []
        dashboard = client.get(reverse("core:dashboard")).content.decode()
        assert person_url(younger) not in dashboard and "Omar" not in dashboard
        listing = client.get(reverse("families:attention")).content.decode()
        assert person_url(younger) not in listing and "Omar" not in listing
