"""``manage.py suggest_outcomes FILE... [--event ID|SLUG]``: the outcomes the desk's
assistant proposes for stories as plain-text copy, as JSON (the same as
``POST <admin>/articles/article/suggest-outcomes/`` answers); ``-`` reads stdin."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.desk import wire
from articles.desk.proposals import propose
from articles.models import Event


class Command(BaseCommand):
    help = "Đề xuất kết quả (cam kết, đề nghị, thoả thuận…) từ văn bản bài viết, dạng JSON."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help="tệp văn bản UTF-8, hoặc - cho stdin")
        parser.add_argument("--event", help="id hoặc slug của sự kiện (chuyến đi, cuộc gặp)")

    def handle(self, *args, files: list[str], event: str | None, **options):
        about = None
        if event:
            lookup = {"pk": int(event)} if event.isdigit() else {"slug": event}
            about = Event.objects.filter(**lookup).first()
            if about is None:
                raise CommandError(f"Không có sự kiện “{event}”.")
        failed = 0
        for name in files:
            try:
                data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
                text = wire.decode(data)
            except OSError as error:
                self.stderr.write(f"{name}: không đọc được ({error.strerror})")
                failed += 1
                continue
            except ValueError as error:
                self.stderr.write(f"{name}: bỏ qua, {error}")
                failed += 1
                continue
            answer: dict[str, object] = {"outcomes": [p.as_json() for p in propose(text, about)]}
            if len(files) > 1:
                answer = {"file": name, **answer}
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=1))
        if failed:
            raise CommandError(f"{failed} tệp không đọc được.")
