"""The cluster under readers and an editor while parts of it fail: the primary
stopped for 30 s, both app servers for 10 s, the long lane's worker killed in the
middle of a job with a scheduled story due. Readers ask the edge for the pages it
holds and for searches it cannot hold; an editor saves a story through the desk
every second. ``make cluster-check``; never part of the suite."""

import datetime
import re
import threading
import time
import zoneinfo
from dataclasses import dataclass

import pytest
import requests

from tests.browser_form import form_values
from tests.cluster.tools import (
    ADD,
    EDGE,
    HOME,
    NODES,
    get,
    part,
    picture,
    prometheus,
    save_form,
    sql,
    story_row,
    unique,
    until,
    write_story,
)

SAIGON = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
READERS = 6


@dataclass
class Answer:
    started: float
    path: str
    status: int
    shows: bool  # the text watched for (a withdrawn story's headline) is in it


class Readers:
    """Readers asking the edge for ``paths`` in turn, as fast as they can, and for
    a new search now and then (a page the edge cannot hold); every answer noted."""

    def __init__(self, paths: list[str], watch: str | None = None):
        self.paths, self.watch = paths, watch
        self.answers: list[Answer] = []
        self.searches: list[Answer] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.read, args=(n,)) for n in range(READERS)]

    def read(self, number: int) -> None:
        session, turn = requests.Session(), number
        while not self.stopping.is_set():
            turn += 1
            search = turn % 10 == 0
            path = self.paths[turn % len(self.paths)]
            if search:
                path = f"/tim-kiem/?q=hoa+ky+{unique()}"
            started = time.monotonic()
            try:
                response = session.get(EDGE + path, timeout=15)
                status, text = response.status_code, response.text
            except requests.RequestException:
                status, text = 0, ""
            shows = bool(self.watch) and self.watch in text
            (self.searches if search else self.answers).append(Answer(started, path, status, shows))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def failed(self, since: float = 0.0, paths=None) -> list[Answer]:
        return [
            a
            for a in self.answers
            if a.status != 200 and a.started >= since and (paths is None or a.path in paths)
        ]


class Editor:
    """An editor who keeps a story open in the desk and saves it every second with a
    new headline; when the form cannot be read again, the one open is sent as it
    is (what was typed must not be lost). Every answer of the desk is noted."""

    def __init__(self, session: requests.Session, pk: int):
        self.session, self.url = session, f"/admin/articles/article/{pk}/change/"
        self.statuses: list[tuple[float, str, int]] = []
        self.confirmed: list[tuple[float, str]] = []  # (when, headline) of each 302
        self.paused: list[requests.Response] = []  # the app's 503s to a save
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.edit)

    def edit(self) -> None:
        form = None
        while not self.stopping.is_set():
            began = time.monotonic()
            try:
                page = self.session.get(EDGE + self.url, timeout=15)
                self.statuses.append((time.monotonic(), "GET", page.status_code))
                if page.status_code == 200:
                    form = form_values(page.text)
                if form is not None:
                    headline = f"Tin sửa liên tục {unique()}"
                    form["headline"] = [headline]
                    saved = self.session.post(
                        EDGE + self.url,
                        data=form,
                        headers={"Referer": EDGE + self.url},
                        allow_redirects=False,
                        timeout=15,
                    )
                    self.statuses.append((time.monotonic(), "POST", saved.status_code))
                    if saved.status_code == 302:
                        self.confirmed.append((time.monotonic(), headline))
                    elif saved.status_code == 503 and "Retry-After" in saved.headers:
                        self.paused.append(saved)
            except requests.RequestException:
                self.statuses.append((time.monotonic(), "lost", 0))
            self.stopping.wait(max(0.0, 1.0 - (time.monotonic() - began)))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        # the last save confirmed, so that the site must show it
        if exc[0] is None:
            count = len(self.confirmed)
            until(lambda: len(self.confirmed) > count, 60)
        self.stopping.set()
        self.thread.join()

    def confirmed_since(self, moment: float) -> bool:
        return any(when > moment for when, _ in self.confirmed)

    def server_errors(self) -> list[tuple[float, str, int]]:
        return [s for s in self.statuses if s[2] >= 500 and s[2] != 503]


def publish(editor: requests.Session, headline: str, when: datetime.datetime | None = None):
    """A story written and published (or scheduled for ``when``) in the desk."""
    changes = {"headline": headline, "sapo": "Mở đầu của bài viết.", "move": "publish"}
    if when is not None:
        local = when.astimezone(SAIGON)
        changes |= {
            "published_at_0": local.strftime("%d/%m/%Y"),
            "published_at_1": local.strftime("%H:%M:%S"),
        }
    response = save_form(editor, ADD, **changes)
    assert response.status_code == 302, response.text[:3000]
    pk, slug, _, _ = story_row(headline)
    return pk, f"/tin/{slug}/"


def held(extra: list[str]) -> list[str]:
    """Pages the edge holds: the home page, the listings and stories it links to,
    and ``extra``; each asked for until the edge answers it from its copy."""
    home = get(EDGE + "/").text
    links = re.findall(r'href="(/(?:tin|chuyen-muc|tin-moi|su-kien|cam-ket)[^"?#]*)"', home)
    paths = list(dict.fromkeys(["/", "/tin-moi/", *extra, *links]))[:16]
    kept = []
    for path in paths:
        for _ in range(3):
            response = get(EDGE + path)
            if response.headers.get("X-Cache") == "HIT":
                kept.append(path)
                break
    assert set(extra) <= set(kept), (extra, kept)
    return kept


def on_the_site(path: str, headline: str) -> bool:
    """``headline`` on ``path`` through the edge and on both app servers"""
    return all(headline in get(base + path).text for base in (EDGE, *NODES))


def jobs_waiting(task: str) -> int:
    ((count,),) = sql(
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = %s AND status = 'todo'"
        " AND (scheduled_at IS NULL OR scheduled_at <= now())",
        task,
    )
    return count


def hard_purges_waiting() -> int:
    ((count,),) = sql(
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'edge.purge'"
        " AND status IN ('todo', 'doing') AND (args->>'hard')::boolean"
    )
    return count


def main_pid(name: str) -> str:
    return (HOME / f"{name}.main.pid").read_text()


@pytest.fixture
def edited(chief):
    """A published story the editor will keep saving."""
    return publish(chief, f"Tin để sửa {unique()}")


def test_the_primary_stops_for_30_s_readers_read_on_and_the_desk_pauses(editor, edited):
    pk, path = edited
    pages = held([path])
    worker = main_pid("worker")
    with Readers(pages) as readers, Editor(editor, pk) as desk:
        time.sleep(3)
        stopped = time.monotonic()
        part("stop", "primary")
        time.sleep(30)
        part("start", "primary")
        started = time.monotonic()
        until(lambda: desk.confirmed_since(started), 60)
    assert readers.failed() == [], readers.failed()[:5]  # every page the edge held
    outage = [a for a in readers.searches if stopped <= a.started <= started]
    assert outage and {a.status for a in outage} == {200}  # made from the replica
    assert desk.server_errors() == []
    assert desk.paused, "no save was answered that saving is paused"
    for response in desk.paused:
        assert response.headers["Retry-After"] == "30"
        assert "Cơ sở dữ liệu đang tạm ngừng" in response.text
    # the worker back by itself, and what waited done
    until(lambda: jobs_waiting("edge.purge") == 0, 60)
    headline = desk.confirmed[-1][1]
    until(lambda: on_the_site(path, headline), 30)
    print(f"primary down 30 s: {len(readers.answers)} held pages read, 0 errors; "
          f"{len(outage)} searches from the replica; desk: "
          f"{sum(1 for s in desk.statuses if s[2] == 503)} answers 'saving paused', no 500; "
          f"worker {'restarted' if main_pid('worker') != worker else 'reconnected'}")  # fmt: skip


def test_both_app_servers_stop_for_10_s_and_the_edge_serves_its_copies(editor, chief, edited):
    pk, path = edited
    withdrawn_headline = f"Tin sẽ gỡ {unique()}"
    withdrawn_pk, withdrawn = publish(chief, withdrawn_headline)
    pages = held([path, withdrawn])
    with Readers(pages, watch=withdrawn_headline) as readers, Editor(editor, pk) as desk:
        time.sleep(2)
        unpublish = f"/admin/articles/article/{withdrawn_pk}/change/"
        assert save_form(chief, unpublish, move="unpublish").status_code == 302
        until(lambda: get(EDGE + withdrawn).status_code == 404, 10)
        purged = time.monotonic()
        # The pages it was on go outright twice (the second purge for copies in
        # flight): held again, without it, only after that.
        until(lambda: not hard_purges_waiting(), 30)
        time.sleep(3)
        stopped = time.monotonic()
        for node in ("app1", "app2"):
            part("stop", node)
        time.sleep(10)
        for node in ("app1", "app2"):
            part("start", node)
        started = time.monotonic()
        until(lambda: desk.confirmed_since(started), 60)
    others = [p for p in pages if p != withdrawn]
    assert readers.failed(paths=others) == [], readers.failed(paths=others)[:5]
    edited_during = [a for a in readers.answers if a.path == path and stopped <= a.started]
    assert edited_during and {a.status for a in edited_during} == {200}
    served = [a for a in readers.answers if a.started > purged and (a.shows or (
        a.path == withdrawn and a.status == 200))]  # fmt: skip
    assert served == [], served[:5]  # the withdrawn story nowhere, even in the outage
    assert desk.server_errors() == []
    headline = desk.confirmed[-1][1]
    until(lambda: on_the_site(path, headline), 30)
    print(f"both nodes down 10 s: {len(readers.answers)} held pages read, 0 errors; "
          f"withdrawn story shown 0 times after its purge")  # fmt: skip


def test_the_long_worker_dies_mid_job_and_a_scheduled_story_goes_live_on_time(
    reporter, editor, edited
):
    headline = f"Tin ảnh rất lớn {unique()}"
    assert write_story(reporter, headline, picture((6000, 4000))).status_code == 302
    _, _, image, _ = story_row(headline)
    due = datetime.datetime.now(datetime.UTC).replace(microsecond=0) + datetime.timedelta(
        seconds=25
    )
    scheduled = f"Tin hẹn giờ {unique()}"
    _, path = publish(editor, scheduled, when=due)
    assert get(EDGE + path).status_code == 404  # not before its time
    pk, edited_path = edited
    pages = held([edited_path])
    before = main_pid("worker-long")

    def taken():
        """the long lane's worker has begun the picture's renditions"""
        return sql(
            "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'images.renditions'"
            " AND status = 'doing' AND args->>'source' = %s",
            image,
        )

    with Readers(pages) as readers, Editor(editor, pk) as desk:
        until(taken, 30, every=0.02)
        part("kill", "worker-long")

        def listed():
            """the scheduled story on the edge's home page and /tin-moi/"""
            return all(scheduled in get(EDGE + p).text for p in ("/", "/tin-moi/"))

        until(listed, 90, every=0.5)
        late = time.time() - due.timestamp()
    assert 0 <= late <= 60, f"listed at the edge {late:.0f} s after its time"
    assert readers.failed() == [], readers.failed()[:5]
    assert desk.server_errors() == []
    until(lambda: on_the_site(edited_path, desk.confirmed[-1][1]), 30)
    until(lambda: "webp" in story_row(headline)[3], 120)
    assert main_pid("worker-long") != before  # started again by itself
    print(f"long worker killed mid-job: the scheduled story listed at the edge {late:.1f} s "
          f"after its time; renditions made after the worker came back")  # fmt: skip


def test_a_worker_down_for_good_raises_the_alert_and_every_alert_clears_after():
    """Stopped with its supervisor (not merely killed): Prometheus says so within two
    minutes. Once every part is back, every alert the faults raised clears (the
    desk's 503s while the primary was down are 5xx: ServerErrors, for 5 minutes)."""

    def firing():
        """WorkersMissing firing in Prometheus"""
        return any(
            a["labels"]["alertname"] == "WorkersMissing" and a["state"] == "firing"
            for a in prometheus("alerts")["alerts"]
        )

    assert not firing()
    part("stop", "worker")
    stopped = time.monotonic()
    try:
        until(firing, 120, 2)
        print(f"worker stopped: WorkersMissing firing after {time.monotonic() - stopped:.0f} s")
    finally:
        part("start", "worker")

    def quiet():
        """no alert firing or pending in Prometheus"""
        return not [a for a in prometheus("alerts")["alerts"] if a["state"] != "inactive"]

    until(quiet, 480, 5)
