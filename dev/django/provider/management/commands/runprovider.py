"""Starts the test provider in one process (start.mjs stops it by killing its process group): a
new database copied from the empty one setup.sh migrated, the test users, the SPA's application,
then Django's development server on 127.0.0.1."""

import os
import shutil
import sys
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from oauth2_provider.models import get_application_model

# Also in start.mjs (DJANGO_USERS), which the tests read.
USERS = [
    ("ada", "ada-password", "Ada", "Lovelace"),
    ("alan", "alan-password", "Alan", "Turing"),
]

SPA = settings.APP_ORIGIN


def exit_on_stdin_eof():
    sys.stdin.buffer.read()
    os._exit(0)


class Command(BaseCommand):
    help = "Serves the django-oauth-toolkit test provider with its users and the SPA's client."

    def add_arguments(self, parser):
        parser.add_argument(
            "--exit-on-stdin-eof",
            action="store_true",
            help="Exit when stdin closes. start.mjs holds the other end of a pipe, so the server never "
            "outlives it, however it ends (SIGKILL, or a signal before it could stop the server).",
        )

    def handle(self, *args, **options):
        if options["exit_on_stdin_eof"]:
            threading.Thread(target=exit_on_stdin_eof, daemon=True).start()
        db = Path(settings.DATABASES["default"]["NAME"])
        template = settings.BASE_DIR / ".venv" / "template.sqlite3"
        if not db.exists() and template.exists():
            db.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template, db)
        # A no-op on the copy; builds the schema when there is no template (a manual run).
        call_command("migrate", verbosity=0)
        User = get_user_model()
        for username, password, first, last in USERS:
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.test"
            user.set_password(password)
            user.save()

        Application = get_application_model()
        Application.objects.update_or_create(
            client_id="spa-django",
            defaults={
                "name": "spa-auth end-to-end tests",
                "client_type": Application.CLIENT_PUBLIC,
                # Also allows the implicit `id_token` and `id_token token`: see oidc.Validator.
                "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
                "skip_authorization": True,
                "algorithm": Application.RS256_ALGORITHM,
                "redirect_uris": " ".join(
                    f"{SPA}{p}" for p in ["/e2e.html", "/silent-callback.html", "/", "/index.html"]
                ),
                "post_logout_redirect_uris": f"{SPA}/e2e.html {SPA}/",
            },
        )

        call_command("runserver", f"127.0.0.1:{settings.PORT}", use_reloader=False, use_threading=True)
