"""Settings of the django-oauth-toolkit test provider (end-to-end tests only, never deployed).

Everything secret is made afresh by each process: the signing key, the session secret. A restart
therefore invalidates every token and session, like the fresh database `runprovider` starts with.
"""

import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

BASE_DIR = Path(__file__).resolve().parent.parent

PORT = int(os.environ.get("DJANGO_PROVIDER_PORT", "8000"))
# The SPA (localhost:8080) is same-site with the provider only under the name localhost: with
# 127.0.0.1 on either side the session cookie is third-party and silent renewal fails.
ORIGIN = f"http://localhost:{PORT}"
APP_ORIGIN = "http://localhost:8080"

SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "corsheaders",
    "oauth2_provider",
    "provider",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "provider.oidc.SessionUserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "provider.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        # start.mjs passes a file in a fresh temporary directory; .data/ is for manual runs.
        "NAME": os.environ.get("DJANGO_PROVIDER_DB", str(BASE_DIR / ".data" / "db.sqlite3")),
    }
}

# The default PBKDF2 costs about a second per login on this machine kind; these passwords are
# fixed test fixtures, so a fast hasher keeps the suite quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

USE_TZ = True
TIME_ZONE = "UTC"
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Only the token endpoint (code + PKCE from the SPA), userinfo and revocation need CORS from the
# SPA; discovery and JWKS already answer `Access-Control-Allow-Origin: *` in stock DOT. oauthlib's
# own CORS support (Application.allowed_origins) is no help here: it refuses http origins and adds
# the header to successful code exchanges only, so the SPA could not read an error.
CORS_ALLOWED_ORIGINS = [APP_ORIGIN]
CORS_URLS_REGEX = r"^/o/(token|userinfo|revoke_token)/$"

_signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode(),
    # Exact in discovery and in every token, whatever Host header a request came with.
    "OIDC_ISS_ENDPOINT": f"{ORIGIN}/o",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # Logout with an id_token_hint of the signed-in user redirects without a confirmation page.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_VALIDATOR_CLASS": "provider.oidc.Validator",
    "OIDC_SERVER_CLASS": "provider.oidc.Server",
    # Access tokens live shorter than ID tokens, so a client that takes the ID token's `exp` for
    # the access token's lifetime renews late, visibly.
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ID_TOKEN_EXPIRE_SECONDS": 3600,
    # S256 only, as the SPA sends (stock DOT also accepts `plain`).
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Name and user name",
        "email": "Email address",
        "read:messages": "Read messages",
        "write:messages": "Write messages",
    },
    "DEFAULT_SCOPES": ["openid"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # DOT warns on every implicit grant (RFC 9700 deprecation); the tests use it on purpose.
    "loggers": {"oauth2_provider": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
