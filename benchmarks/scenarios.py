"""The page benchmark: each scenario against the baseline, in one process.

Each scenario is a page as a real user calls it: through Django's test Client with
a session that passed the password and TOTP (as tests/conftest.py's
`verified_client` builds it), through the whole middleware stack, in a request
transaction (ATOMIC_REQUESTS), writing its audit entry. For each scenario the
benchmark runs a few warm-ups, counts the queries of one run
(CaptureQueriesContext), then times `repeat` runs of the page and of its baseline
(benchmarks.baseline) alternately, so that both see the same machine state.

Server time is the wall time of `client.get()`/`client.post()` in this process:
URL resolution, middleware, view, template and database, without a network or a
WSGI server (the load test, issue 8 point 6, measures those).
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import django
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import ConcernLevel, Person
from core.text import search_key
from families.models import Family, FamilyMember
from organisations.models import Agency, AgencyKind, Membership, Municipality, Role

from .volume import USERNAME_PREFIX

PAGE_SIZE = 25
BASELINE_URLCONF = "benchmarks.urls"
HOME_MUNICIPALITY = "Ishøj"
OTHER_MUNICIPALITY = "Gladsaxe"


@dataclass
class Request:
    """One call: which user's client, the method, path and data."""

    user: str  # "ssp" or "police"
    path: str
    method: str = "get"
    data: dict = field(default_factory=dict)


@dataclass
class Scenario:
    key: str
    title: str
    # Builds the page's request, or raises NoReverseMatch / LookupError when the
    # page (or the data it needs) does not exist yet: the scenario is then skipped.
    page: Callable[[BenchContext], Request]
    # The baseline's GET parameters: the same page of rows where the page is a
    # list, the user's first page otherwise.
    baseline: Callable[[BenchContext], dict] = lambda ctx: {}


@dataclass
class Row:
    key: str
    title: str
    path: str = ""
    skipped: str = ""
    status: int = 0
    runs: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    queries: int = 0
    baseline_median_ms: float = 0.0
    baseline_p95_ms: float = 0.0
    baseline_queries: int = 0
    ratio: float = 0.0
    # The machine probe (benchmarks.baseline.probe), timed beside this scenario.
    probe_median_ms: float = 0.0


@dataclass
class BenchContext:
    """The users and objects the scenarios call pages for, found in the data."""

    clients: dict[str, Client]
    users: dict
    home: Municipality
    other: Municipality
    ssp_visible: int
    police_visible: int
    detail_person: Person | None
    family: Family | None
    search: str
    meeting: object = None


def verified_client(user) -> Client:
    """A session that passed password and TOTP, as the real login leaves it (the
    same as tests/conftest.py). The device is the benchmark user's own."""
    # A page that fails answers 500 and its scenario is reported, not the run ended.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _first_member(role: str, **agency) -> object:
    membership = (
        Membership.objects.filter(
            role=role,
            user__username__startswith=USERNAME_PREFIX,
            **{f"agency__{k}": v for k, v in agency.items()},
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is None:
        raise LookupError(f"No volume user with role {role}: run seed_volume first.")
    return membership.user


def _granted(agency: Agency):
    return Q(
        persongroupobjectpermission__group_id=agency.group_id,
        persongroupobjectpermission__permission__codename="view_person",
    )


def build_context() -> BenchContext:
    """Find the benchmark's users (the first SSP coordinator of Ishøj and the first
    police liaison of the district) and the objects its pages show."""
    home = Municipality.objects.get(name=HOME_MUNICIPALITY)
    other = Municipality.objects.get(name=OTHER_MUNICIPALITY)
    ssp_agency = Agency.objects.get(municipality=home, kind=AgencyKind.SSP_UNIT)
    police_agency = Agency.objects.get(
        police_district=home.police_district, kind=AgencyKind.POLICE
    )
    exit_unit = Agency.objects.get(municipality=home, kind=AgencyKind.EXIT_UNIT)
    users = {
        "ssp": _first_member(Role.SSP_COORDINATOR, pk=ssp_agency.pk),
        "police": _first_member(Role.POLICE_LIAISON, pk=police_agency.pk),
        "exit": _first_member(Role.EXIT_COORDINATOR, pk=exit_unit.pk),
    }
    seen = Person.objects.filter(_granted(ssp_agency))
    # The person with the longest timeline the coordinator may see, preferring a
    # young person in a household with a sibling alert's ingredients.
    detail = (
        seen.filter(family_memberships__isnull=False)
        .annotate(entries=Count("timeline_entries", distinct=True))
        .order_by("-entries", "pk")
        .first()
    )
    # The household the coordinator may open (the person may also live in one
    # another agency recorded, which would answer 404): the person's own if
    # possible, else the largest the coordinator sees.
    households = (
        Family.objects.filter(
            familygroupobjectpermission__group_id=ssp_agency.group_id,
            familygroupobjectpermission__permission__codename="view_family",
        )
        .annotate(size=Count("memberships", distinct=True))
        .order_by("-size", "pk")
    )
    family = None
    if detail is not None:
        family = households.filter(memberships__person=detail).first()
    family = family or households.first()
    common = (
        seen.values("family_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "family_name")
        .first()
    )
    from meetings.models import Meeting

    from .meetings import FORUM_NAME

    meeting = (
        Meeting.objects.filter(forum__name=FORUM_NAME).order_by("starts_at").first()
    )
    return BenchContext(
        meeting=meeting,
        clients={},
        users=users,
        home=home,
        other=other,
        ssp_visible=seen.count(),
        police_visible=Person.objects.filter(_granted(police_agency)).count(),
        detail_person=detail,
        family=family,
        search=common["family_name"] if common else "Jensen",
    )


def _last_page(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def _detail(ctx: BenchContext) -> Request:
    if ctx.detail_person is None:
        raise LookupError("no person in a household")
    return Request(
        "ssp",
        reverse("cases:person_detail", kwargs={"person_id": ctx.detail_person.pk}),
    )


def _family(ctx: BenchContext) -> Request:
    if ctx.family is None:
        raise LookupError("no household")
    return Request(
        "ssp", reverse("families:family_detail", kwargs={"family_id": ctx.family.pk})
    )


def _conversation_dashboard(ctx: BenchContext) -> Request:
    """The police liaison's concern conversation dashboard (issue 4): follow-ups
    overdue and due, planned and requested conversations of the district. The
    baseline reads the same sections' rows with one query."""
    return Request("police", reverse("conversations:dashboard"))


def _meeting(ctx: BenchContext) -> Request:
    """The coordinator runs a meeting with 40 agenda items (issue 5): each with what
    police shared, the decision and an action item (benchmarks.meetings)."""
    if ctx.meeting is None:
        raise LookupError("no benchmark meeting")
    return Request("ssp", reverse("meetings:meeting", args=[ctx.meeting.pk]))


def _exit_dashboard(ctx: BenchContext) -> Request:
    """The exit coordinator's dashboard (issue 6): the unit's cases by phase,
    missing weekly reports, overdue measures, outcomes due (benchmarks.exit)."""
    return Request("exit", reverse("exitprogram:dashboard"))


SCENARIOS = [
    Scenario(
        "ssp_list",
        "SSP coordinator: person list, page 1",
        lambda ctx: Request("ssp", reverse("cases:person_list")),
    ),
    Scenario(
        "ssp_list_deep",
        "SSP coordinator: person list, last page",
        lambda ctx: Request(
            "ssp",
            reverse("cases:person_list") + f"?page={_last_page(ctx.ssp_visible)}",
        ),
        lambda ctx: {"page": _last_page(ctx.ssp_visible)},
    ),
    Scenario(
        "ssp_list_filtered",
        "SSP coordinator: yellow, own municipality",
        lambda ctx: Request(
            "ssp",
            reverse("cases:person_list")
            + f"?concern_level=yellow&municipality={ctx.home.pk}",
        ),
        lambda ctx: {"concern_level": "yellow", "municipality": ctx.home.pk},
    ),
    Scenario(
        "police_list",
        "Police liaison: person list, district",
        lambda ctx: Request("police", reverse("cases:person_list")),
    ),
    Scenario(
        "police_list_filtered",
        "Police liaison: red, one municipality",
        lambda ctx: Request(
            "police",
            reverse("cases:person_list")
            + f"?concern_level={ConcernLevel.RED}&municipality={ctx.other.pk}",
        ),
        lambda ctx: {"concern_level": ConcernLevel.RED, "municipality": ctx.other.pk},
    ),
    Scenario(
        "name_search",
        "SSP coordinator: name search",
        lambda ctx: Request(
            "ssp", reverse("cases:person_list"), "post", {"q": ctx.search}
        ),
        lambda ctx: {"q": search_key(ctx.search)},
    ),
    Scenario("person_detail", "Person page, longest timeline", _detail),
    Scenario("family_detail", "Family page", _family),
    Scenario(
        "conversation_dashboard",
        "Police liaison: concern conversation dashboard",
        _conversation_dashboard,
        lambda ctx: {"rows": "conversations"},
    ),
    Scenario(
        "meeting_page",
        "SSP coordinator: running meeting, 40 agenda items",
        _meeting,
        lambda ctx: {"rows": "meeting", "meeting": ctx.meeting.pk},
    ),
    Scenario(
        "exit_dashboard",
        "Exit coordinator: dashboard",
        _exit_dashboard,
        lambda ctx: {"rows": "exit"},
    ),
]


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 100) * len(ordered) // 100))
    return ordered[rank - 1]


def _call(client: Client, request: Request):
    method = getattr(client, request.method)
    return method(request.path, request.data) if request.data else method(request.path)


def _timed(client: Client, request: Request) -> tuple[float, int]:
    started = time.perf_counter()
    response = _call(client, request)
    elapsed = time.perf_counter() - started
    return elapsed * 1000, response.status_code


def _count_queries(client: Client, request: Request) -> int:
    with CaptureQueriesContext(connection) as captured:
        _call(client, request)
    return len(captured.captured_queries)


def run_scenarios(
    *,
    repeat: int = 30,
    warmup: int = 3,
    only: list[str] | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> tuple[list[Row], BenchContext]:
    """Run every scenario (or those named in `only`); a scenario whose URL name
    does not resolve yet, or whose data is missing, comes back as skipped."""
    ctx = build_context()
    rows = []
    # DEBUG off as in production (no query log, no debug templates); the test
    # client's host allowed; the baseline's URL installed for this run only.
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=["testserver"],
        ROOT_URLCONF=BASELINE_URLCONF,
    ):
        ctx.clients = {key: verified_client(user) for key, user in ctx.users.items()}
        for scenario in SCENARIOS:
            if only and scenario.key not in only:
                continue
            row = Row(scenario.key, scenario.title)
            rows.append(row)
            try:
                request = scenario.page(ctx)
            except (NoReverseMatch, LookupError) as exc:
                row.skipped = f"not available yet: {exc}"
                say(f"  skipped {scenario.key}: {row.skipped}")
                continue
            params = scenario.baseline(ctx)
            baseline = Request(
                request.user, reverse("benchmarks:baseline"), data=params
            )
            probe = Request(
                request.user, reverse("benchmarks:baseline"), data={"rows": "none"}
            )
            client = ctx.clients[request.user]
            row.path = request.path
            status = _call(client, request).status_code
            base_status = _call(client, baseline).status_code
            if status != 200 or base_status != 200:
                row.status = status
                row.skipped = (
                    f"answered {status}"
                    if status != 200
                    else f"baseline answered {base_status}"
                )
                say(f"  skipped {scenario.key}: {row.skipped}")
                continue
            for _ in range(max(warmup - 1, 0)):
                _call(client, request)
                _call(client, baseline)
            row.queries = _count_queries(client, request)
            row.baseline_queries = _count_queries(client, baseline)
            times, base_times, probe_times = [], [], []
            for _ in range(repeat):
                elapsed, row.status = _timed(client, request)
                times.append(elapsed)
                base_elapsed, _status = _timed(client, baseline)
                base_times.append(base_elapsed)
                probe_elapsed, _status = _timed(client, probe)
                probe_times.append(probe_elapsed)
            row.runs = repeat
            row.median_ms = statistics.median(times)
            row.p95_ms = _percentile(times, 0.95)
            row.baseline_median_ms = statistics.median(base_times)
            row.baseline_p95_ms = _percentile(base_times, 0.95)
            row.ratio = row.median_ms / row.baseline_median_ms
            row.probe_median_ms = statistics.median(probe_times)
            say(
                f"  {scenario.key}: {row.median_ms:.1f} ms, {row.queries} queries, "
                f"{row.ratio:.1f}× baseline"
            )
    return rows, ctx


def machine() -> dict:
    """Where the figures come from."""
    database = connection.vendor
    version = ""
    if database == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    return {
        "host": platform.node(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": f"{database} {version}".strip(),
    }


def data_size() -> dict:
    return {
        "persons": Person.objects.count(),
        "families": Family.objects.count(),
        "family_members": FamilyMember.objects.count(),
    }


def rows_as_dicts(rows: list[Row]) -> list[dict]:
    return [asdict(row) for row in rows]


def format_table(rows: list[Row]) -> str:
    header = (
        f"{'scenario':<22} {'median ms':>9} {'p95 ms':>8} {'queries':>7} "
        f"{'base ms':>8} {'base q':>6} {'ratio':>6}"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        if row.skipped:
            lines.append(f"{row.key:<22} skipped ({row.skipped})")
            continue
        lines.append(
            f"{row.key:<22} {row.median_ms:>9.1f} {row.p95_ms:>8.1f} "
            f"{row.queries:>7} {row.baseline_median_ms:>8.1f} "
            f"{row.baseline_queries:>6} {row.ratio:>5.1f}×"
        )
    return "\n".join(lines)


def growth(first: list[Row], last: list[Row]) -> dict[str, dict]:
    """Per scenario measured in both: the ratio of the medians (last / first), the
    machine probe's ratio over the same two runs, the scenario's ratio divided by
    the probe's (`corrected_ratio`: what the data, not the machine, added), and
    the query counts.

    The two sizes are measured minutes apart, and on a shared VM the machine
    itself can get 1.5× slower in that time (docs/performance.md): the probe,
    which does the same work at both sizes, measures that drift."""
    before = {row.key: row for row in first if not row.skipped}
    result = {}
    for row in last:
        if row.skipped or row.key not in before:
            continue
        base = before[row.key]
        median_ratio = row.median_ms / base.median_ms
        probe_ratio = (
            row.probe_median_ms / base.probe_median_ms
            if row.probe_median_ms and base.probe_median_ms
            else 1.0
        )
        result[row.key] = {
            "median_ratio": median_ratio,
            "baseline_ratio": row.baseline_median_ms / base.baseline_median_ms,
            "probe_ratio": probe_ratio,
            "corrected_ratio": median_ratio / probe_ratio,
            "queries": [base.queries, row.queries],
        }
    return result
