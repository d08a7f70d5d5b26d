from django.core.management.base import BaseCommand, CommandError

from ...freshness import edge


class Command(BaseCommand):
    help = (
        "Print the edge's VCL (Varnish with xkey) for this site's settings: the desk's "
        "address (ADMIN_URL) and the session cookie (SESSION_COOKIE_NAME) pass to the app."
    )

    def handle(self, *args, **options):
        try:
            self.stdout.write(edge.vcl(), ending="")
        except ValueError as error:
            raise CommandError(str(error)) from error
