"""The managers' bulk export (issue 7, points 5 and 8): all plans in force of a
municipality that the manager may export, as a ZIP of PDFs made by a Celery task
whose progress the page polls; the download is the requester's alone and is
audited; and once through a real Celery worker against Redis and PostgreSQL."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import Action as AuditAction
from audit.models import AuditEntry
from families import bulk_export, plans, tasks
from families.export_models import ExportJob, ExportStatus
from families.models import FamilyMember, MemberRole
from families.plan_models import PlanStatus, SectorLaw
from families.services import family_add_new_person, family_create
from organisations.models import Membership, Role
from tests.reminders.conftest import (
    Worker,
    new_queue,
    require_postgresql_and_redis,
    wait_for,
)

from .conftest import today


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def zip_entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture
def albertslund_plan(world, personas):
    """A plan in force in Albertslund, approved by the Ishøj manager, who is a
    manager in Albertslund too: visible and exportable to that manager, but of
    another municipality."""
    Membership.objects.create(
        user=personas.manager, agency=world.ssp_albertslund, role=Role.MANAGER
    )
    worker = personas.ssp_albertslund
    family = family_create(
        actor=worker,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
        name="Familien Andenkommune",
    )
    person = family_add_new_person(
        actor=worker,
        agency=world.ssp_albertslund,
        family=family,
        role=MemberRole.CHILD,
        given_name="Omar",
        family_name="Andenkommune",
    ).person
    plan = plans.plan_create(
        actor=worker,
        agency=world.ssp_albertslund,
        family=family,
        wishes="Ro i familien.",
        review_on=today() + timedelta(days=90),
    )
    goal = plans.goal_add(actor=worker, plan=plan, title="Omar i skole", person=person)
    plans.action_add(
        actor=worker,
        actor_agency=world.ssp_albertslund,
        goal=goal,
        agency=world.ssp_albertslund,
        what="Mentor",
        measure="Fremmøde",
        responsible=worker,
        deadline=today() + timedelta(days=30),
        sector_law=SectorLaw.OTHER,
    )
    plans.plan_approve(actor=personas.manager, plan=plan)
    plans.plan_put_in_force(actor=worker, plan=plan)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def ishoej_plans(make_plan):
    """The Ishøj family's closed first plan and its second plan, in force."""
    closed = make_plan(PlanStatus.CLOSED)
    in_force = make_plan(PlanStatus.IN_FORCE)
    return closed, in_force


def start(personas, world):
    return bulk_export.bulk_export_start(
        actor=personas.manager, agency=world.ssp_ishoej, municipality=world.ishoej
    )


# --- The service and the task ---------------------------------------------------------


def test_the_task_makes_a_zip_with_one_pdf_per_plan_in_force(
    ishoej_plans, albertslund_plan, personas, world
):
    closed, in_force = ishoej_plans
    job = start(personas, world)
    assert (job.status, job.total, job.done) == (ExportStatus.QUEUED, 1, 0)
    assert list(job.plans.all()) == [in_force]

    assert tasks.bulk_export_run(str(job.pk)) is True  # eagerly, in this process

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.done == job.total == 1
    assert job.finished_at is not None
    assert job.error == ""
    entries = zip_entries(bytes(job.file))
    assert list(entries) == ["001-familiehandleplan-v2.pdf"]
    text = pdf_text(entries["001-familiehandleplan-v2.pdf"])
    assert "Familien Planlægsen" in text
    assert "Andenkommune" not in text
    # Each rendering is audited as an export of that plan, by the manager.
    exports = AuditEntry.objects.filter(
        action=AuditAction.EXPORT, object_id=str(in_force.pk)
    )
    assert exports.count() == 1
    assert exports.get().user == personas.manager
    assert exports.get().agency == world.ssp_ishoej


def test_the_other_municipality_s_export_holds_only_its_plan(
    ishoej_plans, albertslund_plan, personas, world
):
    job = bulk_export.bulk_export_start(
        actor=personas.manager,
        agency=world.ssp_albertslund,
        municipality=world.albertslund,
    )
    tasks.bulk_export_run(str(job.pk))
    job.refresh_from_db()
    assert job.done == job.total == 1
    (content,) = zip_entries(bytes(job.file)).values()
    text = pdf_text(content)
    assert "Familien Andenkommune" in text
    assert "Planlægsen" not in text


def test_a_repeated_delivery_does_nothing(ishoej_plans, personas, world):
    job = start(personas, world)
    assert tasks.bulk_export_run(str(job.pk)) is True
    finished = ExportJob.objects.get(pk=job.pk)
    assert tasks.bulk_export_run(str(job.pk)) is False
    again = ExportJob.objects.get(pk=job.pk)
    assert again.finished_at == finished.finished_at
    assert bytes(again.file) == bytes(finished.file)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_a_run_whose_worker_died_is_taken_again(ishoej_plans, personas, world):
    job = start(personas, world)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    assert tasks.bulk_export_run(str(job.pk)) is False  # still alive elsewhere
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - bulk_export.STALE_AFTER - timedelta(minutes=1)
    )
    assert tasks.bulk_export_run(str(job.pk)) is True
    assert ExportJob.objects.get(pk=job.pk).status == ExportStatus.DONE


def test_a_failure_marks_the_job_failed_without_personal_data(
    ishoej_plans, personas, world, monkeypatch
):
    job = start(personas, world)

    def broken(**kwargs):
        raise RuntimeError("Familien Planlægsen")

    monkeypatch.setattr(bulk_export, "plan_render_pdf", broken)
    assert tasks.bulk_export_run(str(job.pk)) is False
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == bulk_export.ERROR_FAILED
    assert job.file is None


def test_a_requester_who_is_no_longer_a_manager_gets_no_file(
    ishoej_plans, personas, world
):
    job = start(personas, world)
    Membership.objects.filter(user=personas.manager).delete()
    tasks.bulk_export_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.error) == (
        ExportStatus.FAILED,
        bulk_export.ERROR_NOT_MANAGER,
    )
    assert job.file is None


def test_only_a_manager_of_the_municipality_may_start(
    ishoej_plans, albertslund_plan, personas, world
):
    for outsider in (personas.social, personas.ssp, personas.ssp_albertslund):
        with pytest.raises(PermissionDenied):
            bulk_export.bulk_export_start(
                actor=outsider, agency=world.ssp_ishoej, municipality=world.ishoej
            )
    with pytest.raises(PermissionDenied):  # a manager, but not in Helsingør
        bulk_export.bulk_export_start(
            actor=personas.manager,
            agency=world.ssp_ishoej,
            municipality=world.helsingoer,
        )
    assert not ExportJob.objects.exists()


def test_a_plan_the_manager_did_not_approve_is_not_exported(
    make_plan, plan_world, personas, world
):
    """Export follows the grants: another Ishøj manager approved this plan."""
    other_manager = Membership.objects.create(
        user=personas.auditor, agency=world.ssp_ishoej, role=Role.MANAGER
    ).user
    plan = make_plan(PlanStatus.DRAFT)
    plans.plan_approve(actor=other_manager, plan=plan)
    plans.plan_put_in_force(actor=personas.social, plan=plan)
    job = start(personas, world)
    tasks.bulk_export_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == (ExportStatus.DONE, 0, 0)
    assert zip_entries(bytes(job.file)) == {}


def test_the_file_is_purged_after_a_day(ishoej_plans, personas, world):
    job = start(personas, world)
    tasks.bulk_export_run(str(job.pk))
    assert bulk_export.bulk_exports_purge() == 0
    later = timezone.now() + bulk_export.KEEP_FILE_FOR + timedelta(minutes=1)
    assert bulk_export.bulk_exports_purge(now=later) == 1
    job.refresh_from_db()
    assert job.file is None
    assert not bulk_export.is_available(job)


# --- The pages ------------------------------------------------------------------------


def test_a_manager_starts_follows_and_downloads_an_export(
    ishoej_plans, plan_world, personas, world, client_for, django_assert_max_num_queries
):
    client = client_for(personas.manager)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("families:bulk_export_list"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["municipality"].queryset) == [world.ishoej]

    started = client.post(
        reverse("families:bulk_export_start"), {"municipality": world.ishoej.pk}
    )
    job = ExportJob.objects.get()
    detail_url = reverse("families:bulk_export_detail", args=[job.pk])
    assert started.status_code == 302
    assert started["Location"] == detail_url
    assert (job.requested_by, job.agency) == (personas.manager, world.ssp_ishoej)

    running = client.get(detail_url)
    assert running.status_code == 200
    assert b'hx-trigger="every 2s"' in running.content
    assert b"/download/" not in running.content

    tasks.bulk_export_run(str(job.pk))

    with django_assert_max_num_queries(12):
        fragment = client.get(detail_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"every 2s" not in fragment.content  # finished: the polling stops
    assert b"<html" not in fragment.content
    download_url = reverse("families:bulk_export_download", args=[job.pk])
    assert download_url.encode() in fragment.content

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    disposition = download["Content-Disposition"]
    assert disposition.startswith('attachment; filename="familiehandleplaner-183-')
    assert "Planlægsen" not in disposition
    assert len(zip_entries(download.content)) == 1
    entry = AuditEntry.objects.get(
        action=AuditAction.EXPORT, object_type="families.exportjob"
    )
    assert entry.user == personas.manager
    members = set(
        FamilyMember.objects.filter(family=plan_world.family).values_list(
            "person_id", flat=True
        )
    )
    assert set(entry.subjects.values_list("person_id", flat=True)) == members
    assert len(members) == 3


def test_a_social_worker_cannot_start_an_export(
    ishoej_plans, personas, world, client_for
):
    client = client_for(personas.social)
    assert client.get(reverse("families:bulk_export_list")).status_code == 403
    refused = client.post(
        reverse("families:bulk_export_start"), {"municipality": world.ishoej.pk}
    )
    assert refused.status_code == 403
    assert not ExportJob.objects.exists()


def test_a_manager_cannot_export_another_municipality(
    ishoej_plans, personas, world, client_for
):
    refused = client_for(personas.manager).post(
        reverse("families:bulk_export_start"), {"municipality": world.albertslund.pk}
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors["municipality"]
    assert not ExportJob.objects.exists()


def test_starting_needs_a_post(personas, world, client_for):
    response = client_for(personas.manager).get(reverse("families:bulk_export_start"))
    assert response.status_code == 405


@pytest.mark.parametrize("who", ["ssp", "social", "ssp_albertslund", "auditor"])
def test_another_user_cannot_see_or_download_the_job(
    who, ishoej_plans, personas, world, client_for
):
    job = start(personas, world)
    tasks.bulk_export_run(str(job.pk))
    client = client_for(getattr(personas, who))
    for name in ("bulk_export_detail", "bulk_export_download"):
        assert client.get(reverse(f"families:{name}", args=[job.pk])).status_code == 404
    assert not AuditEntry.objects.filter(object_type="families.exportjob").exists()


def test_another_manager_of_the_municipality_cannot_download_it(
    ishoej_plans, personas, world, client_for
):
    job = start(personas, world)
    tasks.bulk_export_run(str(job.pk))
    other = Membership.objects.create(
        user=personas.ssp, agency=world.ssp_ishoej, role=Role.MANAGER
    ).user
    url = reverse("families:bulk_export_download", args=[job.pk])
    assert client_for(other).get(url).status_code == 404


def test_an_unfinished_or_expired_job_offers_no_download(
    ishoej_plans, personas, world, client_for
):
    job = start(personas, world)
    client = client_for(personas.manager)
    url = reverse("families:bulk_export_download", args=[job.pk])
    assert client.get(url).status_code == 404  # queued
    tasks.bulk_export_run(str(job.pk))
    ExportJob.objects.filter(pk=job.pk).update(
        finished_at=timezone.now() - bulk_export.KEEP_FILE_FOR - timedelta(minutes=1)
    )
    assert client.get(url).status_code == 404


def test_the_download_needs_a_recent_sign_in(ishoej_plans, personas, world, client_for):
    job = start(personas, world)
    tasks.bulk_export_run(str(job.pk))
    client = client_for(personas.manager)
    session = client.session
    session.pop("tvaers_fresh_auth_at")
    session.save()
    response = client.get(reverse("families:bulk_export_download", args=[job.pk]))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(object_type="families.exportjob").exists()


# --- A real worker --------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_makes_the_export(
    tmp_path, make_plan, albertslund_plan, personas, world, monkeypatch
):
    """The task sent when the start commits is run by a real Celery worker
    process, from Redis, against the same PostgreSQL database: the job ends done
    with the ZIP of the municipality's plan in force."""
    require_postgresql_and_redis()
    in_force = make_plan(PlanStatus.IN_FORCE)
    queue = new_queue()
    # The worker consumes its own queue (tests.reminders.worker_settings): the
    # message the service sends on commit goes there instead of the default one.
    monkeypatch.setattr(
        bulk_export,
        "_enqueue",
        lambda job_id: tasks.bulk_export_run.apply_async((job_id,), queue=queue),
    )
    worker = Worker(queue=queue, log=tmp_path / "worker.log", env={})
    try:
        with transaction.atomic():
            job = start(personas, world)
        finished = wait_for(
            lambda: ExportJob.objects.filter(
                pk=job.pk, status__in=[ExportStatus.DONE, ExportStatus.FAILED]
            ).exists(),
            timeout=120,
            worker=worker,
        )
        assert finished, worker.output()
    finally:
        worker.stop()

    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, (job.error, worker.output())
    assert job.done == job.total == 1
    assert list(job.plans.all()) == [in_force]
    (content,) = zip_entries(bytes(job.file)).values()
    assert "Familien Planlægsen" in pdf_text(content)
    assert "bulk_export_run" in worker.output(tail=None)
