"""What the cluster's checks share: its addresses and settings, the desk as a
browser uses it (sign-in, forms), the database read directly, parts stopped and
started (deploy/cluster.py)."""

import io
import json
import re
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests
from PIL import Image

from tests.browser_form import form_values

ROOT = Path(__file__).resolve().parent.parent.parent
HOME = ROOT / ".cluster"
EDGE = "http://127.0.0.1:8080"
NODES = ("http://127.0.0.1:8001", "http://127.0.0.1:8002")
STORE = "http://127.0.0.1:8333/media"
ADD = "/admin/articles/article/add/"
DOWN_NOTICE = "Kho ảnh đang không phản hồi"

if not (HOME / "env.json").exists():
    pytest.exit("no cluster is running here: make cluster first", returncode=2)
ENV = json.loads((HOME / "env.json").read_text())
SIGNINS = json.loads((HOME / "signins.json").read_text())


def sql(statement: str, *params):
    with psycopg.connect(ENV["DATABASE_URL"], autocommit=True) as connection:
        return connection.execute(statement, params).fetchall()


def part(action: str, name: str) -> None:
    """Start or stop one part of the cluster."""
    command = [str(ROOT / ".venv/bin/python"), "deploy/cluster.py", action, name]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)


def until(check, seconds: float = 30, every: float = 0.2):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds} s: {check.__doc__ or check}")
        time.sleep(every)
    return result


def sign_in(username: str, password: str | None = None, base: str = EDGE) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{base}/admin/login/?next=/admin/",
        data={
            "username": username,
            "password": password or SIGNINS[username],
            "csrfmiddlewaretoken": token,
        },
        headers={"Referer": f"{base}/admin/login/"},
    )
    session.base = base
    return session


def picture(size=(1200, 800)) -> bytes:
    """A PNG whose every pixel differs: decoding it takes its time."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def save_form(session, url: str, files=None, **changes) -> requests.Response:
    data = form_values(session.get(session.base + url).text)
    data.update({name: [value] for name, value in changes.items()})
    return session.post(
        session.base + url,
        data=data,
        files=files,
        headers={"Referer": session.base + url},
        allow_redirects=False,
    )


def write_story(reporter, headline: str, image: bytes) -> requests.Response:
    return save_form(
        reporter,
        ADD,
        files={"image": ("anh.png", image, "image/png")},
        headline=headline,
        sapo="Mở đầu của bài viết.",
        image_alt="Ảnh minh hoạ",
        move="submit",
    )


def story_row(headline: str) -> tuple[int, str, str, dict]:
    rows = sql(
        "SELECT id, slug, image, image_renditions FROM articles_article WHERE headline = %s",
        headline,
    )
    assert len(rows) == 1, rows
    return rows[0]


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


def unique() -> str:
    return uuid.uuid4().hex[:8]


PROMETHEUS = "http://127.0.0.1:9090"


def prometheus(path: str, **params) -> dict:
    return requests.get(f"{PROMETHEUS}/api/v1/{path}", params=params, timeout=10).json()["data"]
