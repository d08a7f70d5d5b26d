"""``manage.py import_wire FILE... [--outlet SLUG]``: copy from outlets' pages
as draft stories, one per file, each text once."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.desk.imports import import_copy
from articles.models import Organization


class Command(BaseCommand):
    help = "Nhập các tệp văn bản sao chép từ trang báo thành bài nháp."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--outlet", help="slug của báo nguồn (tổ chức)")

    def handle(self, *args, files: list[Path], outlet: str | None, **options):
        source = None
        if outlet:
            source = Organization.objects.filter(slug=outlet).first()
            if source is None:
                raise CommandError(f"Không có tổ chức với slug “{outlet}”.")
        failed = 0
        for path in files:
            try:
                data = path.read_bytes()
            except OSError as error:
                self.stderr.write(f"{path}: không đọc được ({error.strerror})")
                failed += 1
                continue
            result = import_copy(path.name, data, outlet=source)
            if result.error:
                self.stderr.write(f"{path}: bỏ qua, {result.error}")
                failed += 1
                continue
            verb = "đã tạo bản nháp" if result.created else "đã có, bỏ qua"
            self.stdout.write(f"{path}: {verb} #{result.article.pk} “{result.article}”")
            for cut in result.cut:
                self.stdout.write(f"  lược bỏ ({cut.why}): {cut.text[:100]}")
            if result.proposals:
                self.stdout.write(
                    f"  {result.proposals} kết quả đề xuất (manage.py suggest_outcomes)"
                )
        if failed:
            raise CommandError(f"{failed} tệp không nhập được.")
