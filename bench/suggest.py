"""How long entity suggestions take with thousands of entities: building the
matcher (once per content change) and scanning a long story (on every pause
in typing). Adds the entities in a transaction it rolls back.

``DATABASE_URL=… .venv/bin/python bench/suggest.py [ENTITIES]`` (``make bench`` runs it).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from articles.desk import suggest  # noqa: E402
from articles.models import Organization, OrganizationAlias, Person  # noqa: E402
from articles.text.slugs import vi_slugify  # noqa: E402

SOURCE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "sources" / "000_a874e1d86ca2b0cf.txt"
)


class Rollback(Exception):
    pass


def main(entities: int) -> None:
    story = SOURCE.read_text("utf-8") * 4  # about 30,000 characters
    try:
        with transaction.atomic():
            orgs = Organization.objects.bulk_create(
                Organization(name=f"Tập đoàn Thử Nghiệm {n}", slug=f"bench-org-{n}")
                for n in range(entities)
            )
            OrganizationAlias.objects.bulk_create(
                OrganizationAlias(organization=o, name=f"TN{o.pk}") for o in orgs
            )
            Person.objects.bulk_create(
                Person(name=(name := f"Nguyễn Văn Thử {n}"), slug=vi_slugify(name))
                for n in range(entities)
            )
            started = time.perf_counter()
            suggest.build()
            built = (time.perf_counter() - started) * 1000
            suggest._built.clear()
            suggest.find("")  # the automaton of this generation
            times = []
            for _ in range(20):
                started = time.perf_counter()
                found = suggest.find(story)
                times.append((time.perf_counter() - started) * 1000)
            raise Rollback
    except Rollback:
        pass
    print(
        f"{entities * 2 + entities:,} names ({entities:,} organizations with an other name, "
        f"{entities:,} people) plus the archive's own"
    )
    print(
        f"build: {built:.0f} ms; scan of a {len(story):,}-character story: median "
        f"{statistics.median(times):.1f} ms, worst {max(times):.1f} ms; {len(found)} found"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
