"""What the test provider adds to stock django-oauth-toolkit, each for a reason given below."""

from contextvars import ContextVar

from oauth2_provider.models import AbstractApplication
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib import openid

# The Django user of the request being served. oauthlib validates an authorization request from
# the URL and headers alone, so the validator cannot see the session otherwise.
_session_user = ContextVar("session_user", default=None)


class SessionUserMiddleware:
    """Publishes request.user (after AuthenticationMiddleware) to the validator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _session_user.set(request.user)
        try:
            return self.get_response(request)
        finally:
            _session_user.reset(token)


class Validator(OAuth2Validator):
    # DOT ties an application to one grant type, but the SPA uses the implicit response types and
    # code + PKCE with one client_id: an application registered for the code grant may also use
    # these. (`token` alone is left out: without an ID token it is not OpenID Connect.)
    IMPLICIT_RESPONSE_TYPES = {"id_token", "id_token token"}

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        if response_type in self.IMPLICIT_RESPONSE_TYPES and client.allows_grant_type(
            AbstractApplication.GRANT_AUTHORIZATION_CODE
        ):
            return True
        return super().validate_response_type(client_id, response_type, client, request, *args, **kwargs)

    # oauthlib leaves these two to deployers and stock DOT does not implement them, so
    # `prompt=none` with a session answers HTTP 500 (without one, DOT's view answers
    # login_required before oauthlib asks).

    def validate_silent_login(self, request):
        """A silent login succeeds exactly when the Django session has a signed-in user."""
        user = _session_user.get()
        return user is not None and user.is_authenticated

    def validate_silent_authorization(self, request):
        """Consent is silent for applications that never ask for it (skip_authorization)."""
        return bool(request.client and request.client.skip_authorization)

    def get_additional_claims(self):
        """Standard claims, released by the `profile` and `email` scopes, so tests can tell users
        apart. In this request-independent form DOT also lists them in discovery's claims_supported."""
        return {
            "name": lambda r: r.user.get_full_name(),
            "given_name": lambda r: r.user.first_name,
            "family_name": lambda r: r.user.last_name,
            "preferred_username": lambda r: r.user.username,
            "email": lambda r: r.user.email,
        }


class Server(openid.Server):
    """oauthlib's OpenID Connect server, minus refresh tokens.

    Stock DOT answers every code exchange with a refresh_token, whether or not `offline_access`
    was asked for, and has no setting against it; a browser app must never hold one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The openid grant proxies this attribute to the OAuth 2 code grant it wraps.
        self.auth_grant.refresh_token = False
        self.openid_connect_auth.refresh_token = False
