from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path
from django.utils.html import escape


def home(request):
    """Says who the provider's session belongs to, for tests that switch users at the provider."""
    who = escape(request.user.username) if request.user.is_authenticated else "nobody"
    return HttpResponse(f"<!doctype html><title>Provider</title><p>Signed in: <b id=user>{who}</b></p>")


urlpatterns = [
    path("", home),
    path("accounts/login/", LoginView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
