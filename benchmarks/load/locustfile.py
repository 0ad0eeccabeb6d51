"""The load test's workload: the roles' typical actions (docs/performance.md).

Run by benchmarks/load/run.py, which prepares the users and passes LOAD_USERS_FILE
(usernames and TOTP devices, from `manage.py load_prepare`) and LOAD_PASSWORD.

Each simulated user logs in as one volume user of its role, as a person does:
password, then the TOTP code of its device (django_otp.oath.TOTP, the same
computation as an authenticator app), with the CSRF token from the cookie. Every
request carries `X-Forwarded-Proto: https`, as the TLS-terminating proxy sets it, so
the production settings (HTTPS redirect, secure cookies) apply unchanged. The ids a
user opens come from links on pages the same user loaded: never an id it may not
see, so every 404 (or any status other than 200) is an error.

Weights: SSP coordinators 3, police liaisons 2, social workers 1; think time 1–3 s
between actions.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlsplit

import gevent
from django_otp.oath import TOTP
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
PERSON_LINK = re.compile(rf'href="/persons/({UUID})/"')
FAMILY_LINK = re.compile(rf'href="/families/({UUID})/"')
CONVERSATION_LINK = re.compile(rf'href="/conversations/({UUID})/"')
MUNICIPALITY_SELECT = re.compile(r'<select name="municipality".*?</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
FAMILY_NAMES = (
    "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen Rasmussen "
    "Madsen Olsen Møller Holm Lund Ahmed Hussein Ali Yilmaz Khan Nguyen Berg Dahl"
).split()
KEEP = 200  # ids remembered per kind and user


def _load_users() -> dict[str, list[dict]]:
    path = os.environ.get("LOAD_USERS_FILE", "var/load/users.json")
    with open(path) as file:
        return json.load(file)["users"]


USERS = _load_users()
_NEXT = {role: itertools.count() for role in USERS}
# Codes already used, per username: a TOTP code counts once (django_otp refuses a
# replay), so a second simulated user on the same account waits for the next step.
_LAST_STEP: dict[str, int] = {}


def totp_code(device: dict, *, now: float | None = None) -> tuple[str, int]:
    totp = TOTP(
        bytes.fromhex(device["key"]),
        step=device["step"],
        t0=device["t0"],
        digits=device["digits"],
    )
    if now is not None:
        totp.time = now
    return f"{totp.token():0{device['digits']}d}", totp.t()


class BehindProxyCookiePolicy(DefaultCookiePolicy):
    """Send Secure cookies over the plain-HTTP loopback connection: the connection
    stands for the proxy's, whose TLS the client would have spoken."""

    def return_ok_secure(self, cookie, request) -> bool:
        return True


class TvaersUser(FastHttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)
    # What the TLS-terminating proxy adds to every request (docs/deploying.md).
    default_headers = {"X-Forwarded-Proto": "https"}

    def on_start(self) -> None:
        self.origin = "https://" + urlsplit(self.host).netloc
        self.client.cookiejar.set_policy(BehindProxyCookiePolicy())
        self.persons: list[str] = []
        self.families: list[str] = []
        self.conversations: list[str] = []
        self.municipalities: list[str] = []
        pool = USERS[self.role]
        self.account = pool[next(_NEXT[self.role]) % len(pool)]
        self.login()

    # --- Helpers ------------------------------------------------------------------

    def _csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def get(self, path: str, name: str, *, lands: str | None = None) -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            return self._check(response, lands=lands)

    def post(self, path: str, data: dict, name: str, *, lands: str | None = None):
        data = {**data, "csrfmiddlewaretoken": self._csrf()}
        with self.client.post(
            path,
            data=data,
            name=name,
            headers={"Origin": self.origin, "Referer": self.origin + path},
            catch_response=True,
        ) as response:
            return self._check(response, lands=lands)

    def _check(self, response, *, lands: str | None = None) -> str:
        """A failure unless the answer (after redirects) is a 200 on the path
        `lands` names, or, by default, on any page but the login's."""
        text = response.text or ""
        path = urlsplit(response.url or "").path
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")
        elif lands is not None and path != lands:
            response.failure(f"landed on {path}, not {lands}")
        elif lands is None and path.startswith("/login/"):
            response.failure("sent back to the login")
        return text

    def _remember(self, kind: list[str], pattern: re.Pattern, text: str) -> None:
        for found in pattern.findall(text):
            if found not in kind:
                kind.append(found)
        del kind[:-KEEP]

    def login(self) -> None:
        device = self.account
        self.get("/login/", "login: form", lands="/login/")
        self.post(
            "/login/",
            {
                "username": device["username"],
                "password": os.environ["LOAD_PASSWORD"],
            },
            "login: password",
            lands="/login/code/",
        )
        code, step = totp_code(device)
        while _LAST_STEP.get(device["username"], -1) >= step:
            gevent.sleep(1)
            code, step = totp_code(device)
        _LAST_STEP[device["username"]] = step
        text = self.post("/login/code/", {"token": code}, "login: TOTP code", lands="/")
        self._remember(self.persons, PERSON_LINK, text)

    # --- Shared actions -----------------------------------------------------------

    def person_list(self, name: str = "person list") -> None:
        text = self.get("/persons/", name)
        self._remember(self.persons, PERSON_LINK, text)
        if not self.municipalities and (select := MUNICIPALITY_SELECT.search(text)):
            self.municipalities = [v for v in OPTION.findall(select.group(0)) if v]

    def person_page(self) -> None:
        if not self.persons:
            self.person_list()
            if not self.persons:
                return
        person = random.choice(self.persons)  # noqa: S311
        text = self.get(f"/persons/{person}/", "person page")
        self._remember(self.families, FAMILY_LINK, text)
        self._remember(self.conversations, CONVERSATION_LINK, text)


class SSPCoordinator(TvaersUser):
    """The SSP coordinator: lists, filters, searches, opens persons and households."""

    role = "ssp"
    weight = 3

    @task(3)
    def list_persons(self) -> None:
        self.person_list()

    @task(2)
    def list_filtered(self) -> None:
        query = "?concern_level=yellow"
        if self.municipalities:
            query += f"&municipality={self.municipalities[0]}"
        text = self.get(f"/persons/{query}", "person list, filtered")
        self._remember(self.persons, PERSON_LINK, text)

    @task(3)
    def open_person(self) -> None:
        self.person_page()

    @task(1)
    def open_family(self) -> None:
        if not self.families:
            self.person_page()
            if not self.families:
                return
        family = random.choice(self.families)  # noqa: S311
        self.get(f"/families/{family}/", "family page")

    @task(2)
    def search(self) -> None:
        name = random.choice(FAMILY_NAMES)  # noqa: S311
        text = self.post("/persons/", {"q": name}, "name search")
        self._remember(self.persons, PERSON_LINK, text)

    @task(1)
    def overview(self) -> None:
        self.get("/", "overview")


class PoliceLiaison(TvaersUser):
    """The police liaison: the district's persons and the conversation dashboard."""

    role = "police"
    weight = 2

    @task(3)
    def list_persons(self) -> None:
        self.person_list("person list (district)")

    @task(3)
    def open_person(self) -> None:
        self.person_page()

    @task(2)
    def dashboard(self) -> None:
        text = self.get("/conversations/", "conversation dashboard")
        self._remember(self.conversations, CONVERSATION_LINK, text)

    @task(2)
    def open_conversation(self) -> None:
        if not self.conversations:
            self.dashboard()
            if not self.conversations:
                return
        conversation = random.choice(self.conversations)  # noqa: S311
        self.get(f"/conversations/{conversation}/", "conversation page")


class SocialWorker(TvaersUser):
    """The social worker: the agency's worklist of measures, and persons."""

    role = "social"
    weight = 1

    @task(3)
    def worklist(self) -> None:
        text = self.get("/conversations/worklist/", "worklist")
        self._remember(self.conversations, CONVERSATION_LINK, text)

    @task(2)
    def open_person(self) -> None:
        self.person_page()
