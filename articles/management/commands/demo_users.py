import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

USERS = [
    # username, group, what they can do
    ("admin", None, "quản trị (superuser)"),
    ("bientapvien", "Biên tập viên", "biên tập viên: duyệt, xuất bản, hẹn giờ, gỡ, lưu trữ"),
    ("phongvien", "Phóng viên", "phóng viên: viết bài của mình và gửi duyệt"),
]


class Command(BaseCommand):
    help = "Create the demo sign-ins (admin, editor, reporter) if missing and say how to sign in."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            default=os.environ.get("PORT", "8000"),
            help="the port the site is served on, for the addresses printed (PORT, or 8000)",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        site = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(f"Toà soạn: {site}  The desk: {site}{settings.ADMIN_URL}")
        for username, group, role in USERS:
            if User.objects.filter(username=username).exists():
                self.stdout.write(
                    f"  {username:12} {role} (password set earlier; reset it with "
                    f".venv/bin/python manage.py changepassword {username})"
                )
                continue
            password = secrets.token_urlsafe(9)
            if group is None:
                User.objects.create_superuser(username=username, password=password)
            else:
                user = User.objects.create_user(username=username, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"  {username:12} {role}: password {password}")
