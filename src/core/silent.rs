//! Why silent authentication failed, and what `restoreSession` does next: pure decisions, apart
//! from the browser. The hidden iframe works only while the browser lets the provider see its
//! session there; when it cannot (third-party cookies blocked, framing refused, a cross-origin
//! isolated page), one top-level `prompt=none` redirect can, guarded in `sessionStorage` so that it
//! never loops.

use alloc::{string::String, sync::Arc};

use crate::core::error::{Error, OAuthError};
use crate::core::text::{concat, cut, find_byte};
use crate::core::url::Url;

/// Why silent authentication cannot succeed (`AuthError.reason`), or why `restoreSession` went
/// through a top-level redirect (`AuthResult.redirectReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The provider has no session for the user (`login_required` on the app's own site).
    SessionEnded,
    /// `login_required` while the provider is on another site than the app: a browser that
    /// blocks third-party cookies keeps the provider's session out of the iframe.
    ThirdPartyCookiesBlocked,
    /// The provider's page loaded in the iframe but never answered: it refuses to be framed.
    FrameRefused,
    /// The page is cross-origin isolated, where an iframe to the provider cannot answer.
    CrossOriginIsolated,
    /// The provider needs the user (`interaction_required`, `consent_required`,
    /// `account_selection_required`).
    InteractionRequired,
}

/// Each reason with its name, in the order the reasons are declared (so that a reason's
/// discriminant is its place here: a test checks it).
const REASONS: [(Reason, &str); 5] = [
    (Reason::SessionEnded, "session_ended"),
    (
        Reason::ThirdPartyCookiesBlocked,
        "third_party_cookies_blocked",
    ),
    (Reason::FrameRefused, "frame_refused"),
    (Reason::CrossOriginIsolated, "cross_origin_isolated"),
    (Reason::InteractionRequired, "interaction_required"),
];

impl Reason {
    /// The name JavaScript sees.
    pub fn as_str(self) -> &'static str {
        // Found by its place, not by a search (wasm size).
        REASONS.get(self as usize).map_or("", |(_, name)| name)
    }

    fn parse(name: &str) -> Option<Reason> {
        REASONS.iter().find(|(_, n)| *n == name).map(|(r, _)| *r)
    }

    /// Whether the failure belongs to the iframe, so that a top-level redirect may succeed.
    fn iframe_only(self) -> bool {
        matches!(
            self,
            Reason::ThirdPartyCookiesBlocked | Reason::FrameRefused | Reason::CrossOriginIsolated
        )
    }
}

/// How a result of `restoreSession` was obtained (`AuthResult.restoredBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoredBy {
    /// The authorization response in the page's URL (a redirect login).
    Url,
    /// The tokens this page already held.
    Memory,
    /// The tokens another tab shared.
    Tab,
    /// Silent authentication in the hidden iframe.
    Iframe,
    /// The top-level `prompt=none` redirect.
    Redirect,
}

impl RestoredBy {
    /// The name JavaScript sees.
    pub fn as_str(self) -> &'static str {
        match self {
            RestoredBy::Url => "url",
            RestoredBy::Memory => "memory",
            RestoredBy::Tab => "tab",
            RestoredBy::Iframe => "iframe",
            RestoredBy::Redirect => "redirect",
        }
    }
}

/// What `restoreSession` does when the iframe cannot work (`silentFallback`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SilentFallback {
    /// One top-level `prompt=none` redirect (the default).
    Redirect,
    /// Nothing: the typed error.
    None,
}

impl SilentFallback {
    pub(crate) fn parse(value: &str) -> Result<SilentFallback, &'static str> {
        match value {
            "redirect" => Ok(SilentFallback::Redirect),
            "none" => Ok(SilentFallback::None),
            _ => Err("silentFallback must be \"redirect\" or \"none\""),
        }
    }
}

/// Whether a provider's `error` means that there is no session to restore without the user.
pub(crate) fn is_no_session(error: &str) -> bool {
    matches!(
        error,
        "login_required"
            | "interaction_required"
            | "consent_required"
            | "account_selection_required"
    )
}

/// The provider's answer to silent authentication in the iframe, with its reason: a
/// `login_required` means "session gone" on the app's site, and "third-party cookies blocked"
/// across sites (the registrable domain, approximated by [`Url::site`]), then with the remedy. An
/// app or provider whose URL is not known counts as another site. The error is changed where it
/// is: just read from the answer, it is not shared yet.
pub(crate) fn classify(error: &mut Arc<OAuthError>, app: Option<&Url>, provider: Option<&Url>) {
    let Some(error) = Arc::get_mut(error) else {
        return;
    };
    let cross_site = match (app, provider) {
        (Some(app), Some(provider)) => app.site() != provider.site(),
        _ => true,
    };
    error.reason = match error.error.as_str() {
        "login_required" if cross_site => {
            error.description.push_str(
                " (the provider is on another site than this app: blocked third-party cookies \
                 keep its session out; give it a custom domain on the app's site)",
            );
            Some(Reason::ThirdPartyCookiesBlocked)
        }
        "login_required" => Some(Reason::SessionEnded),
        code if is_no_session(code) => Some(Reason::InteractionRequired),
        _ => None,
    };
}

/// What `restoreSession` does after the iframe failed with `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AfterIframe {
    /// One top-level `prompt=none` redirect, for this reason.
    Redirect(Reason),
    /// Resolve `null`: the provider has no session the user need not act on.
    NoSession,
    /// Reject with the error.
    Fail,
}

pub(crate) fn after_iframe(error: &Error, fallback: SilentFallback) -> AfterIframe {
    match error.reason() {
        Some(reason) if reason.iframe_only() && fallback == SilentFallback::Redirect => {
            AfterIframe::Redirect(reason)
        }
        Some(Reason::SessionEnded | Reason::InteractionRequired) => AfterIframe::NoSession,
        _ => AfterIframe::Fail,
    }
}

/// The `sessionStorage` key prefix of the guard; the client id follows it.
pub(crate) const GUARD_PREFIX: &str = "spa-auth.restore.";

/// The stored form of [`Guard::Ended`] (as stored before; anything but a readable pending guard
/// reads as ended).
pub(crate) const ENDED: &str = "status=ended";

/// How the stored form of a pending guard begins.
const PENDING: &str = "pending ";

/// The guard of the restore redirect, one per client in `sessionStorage` (per tab). It holds no
/// token: the state that the redirect's answer must carry, where the app was, and why. Read in
/// place from its stored form, which it borrows: nothing is copied (wasm size). It has no
/// `Debug`, so that its state never prints.
#[derive(PartialEq)]
pub(crate) enum Guard<'a> {
    /// A restore redirect is under way; no second one until its answer is read.
    Pending {
        state: &'a str,
        /// The app's path and query when it left, restored on the way back.
        return_path: &'a str,
        reason: Reason,
    },
    /// The provider said there is no session (or the app ended it): no restore redirect until
    /// the next `authorize()` or `buildAuthorizeUrl()`.
    Ended,
}

impl Guard<'_> {
    /// The stored form of a pending guard: `pending <reason> <state> <return path>`, from
    /// borrowed parts, so that the redirect stores it without building a guard first. Spaces
    /// part the values (the reason is a name, the state base64url), and the return path, the only
    /// one that may hold any character, comes last: nothing is escaped, and reading it back is
    /// three cuts, not a form's decoding (wasm size). The return path comes as the page's path
    /// and `?query`, joined here with the rest: one text built, not two (wasm size).
    pub(crate) fn pending(state: &str, path: &str, query: &str, reason: Reason) -> String {
        concat(&[PENDING, reason.as_str(), " ", state, " ", path, query])
    }

    /// Reads the stored form. Anything unreadable counts as [`Guard::Ended`]: a damaged guard
    /// must stop redirects, not allow them.
    pub(crate) fn decode(stored: &str) -> Guard<'_> {
        let pending = || {
            let (reason, rest) = cut(stored.strip_prefix(PENDING)?, b' ')?;
            let (state, return_path) = cut(rest, b' ')?;
            Some(Guard::Pending {
                state: Some(state).filter(|s| !s.is_empty())?,
                return_path: Some(return_path).filter(|p| is_path(p))?,
                reason: Reason::parse(reason)?,
            })
        };
        pending().unwrap_or(Guard::Ended)
    }

    /// Whether an answer with `state` is this guard's redirect's.
    pub(crate) fn answered_by(&self, state: Option<&str>) -> bool {
        matches!(self, Guard::Pending { state: s, .. } if Some(*s) == state)
    }
}

/// A path of this origin (`/…`, not `//host`), which is all a return path may be.
fn is_path(path: &str) -> bool {
    // Its first two bytes read by a slice pattern: no `char` prefix matcher in the wasm.
    matches!(path.as_bytes(), [b'/', after @ ..] if after.first() != Some(&b'/'))
        && find_byte(path, b'#').is_none()
        && find_byte(path, b'\\').is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oauth(code: &str) -> OAuthError {
        OAuthError {
            error: code.into(),
            description: "d".into(),
            state: None,
            reason: None,
        }
    }

    fn url(u: &str) -> Url {
        Url::parse(u).unwrap()
    }

    /// The provider's `code` for an app at `app`, classified.
    fn classified(code: &str, app: &str) -> Arc<OAuthError> {
        let mut error = Arc::new(oauth(code));
        classify(
            &mut error,
            Some(&url(app)),
            Some(&url("http://localhost:3000/authorize")),
        );
        error
    }

    fn reason_of(code: &str, app: &str) -> Option<Reason> {
        classified(code, app).reason
    }

    #[test]
    fn login_required_is_a_session_gone_on_the_same_site_and_blocked_cookies_across() {
        let same = reason_of("login_required", "http://localhost:8080/");
        assert_eq!(same, Some(Reason::SessionEnded));
        let cross = classified("login_required", "http://127.0.0.1:8080/");
        assert_eq!(cross.reason, Some(Reason::ThirdPartyCookiesBlocked));
        assert!(cross.description.contains("custom domain"));
        assert_eq!(cross.error, "login_required");
        let mut subdomain = Arc::new(oauth("login_required"));
        classify(
            &mut subdomain,
            Some(&url("https://app.shop.example/")),
            Some(&url("https://login.shop.example/authorize")),
        );
        assert_eq!(subdomain.reason, Some(Reason::SessionEnded));
        assert_eq!(subdomain.description, "d");
    }

    #[test]
    fn the_other_no_session_answers_need_the_user_and_the_rest_has_no_reason() {
        for code in [
            "interaction_required",
            "consent_required",
            "account_selection_required",
        ] {
            assert_eq!(
                reason_of(code, "http://127.0.0.1:8080/"),
                Some(Reason::InteractionRequired)
            );
        }
        assert_eq!(reason_of("server_error", "http://127.0.0.1:8080/"), None);
        assert!(!is_no_session("access_denied"));
    }

    fn failed(reason: Option<Reason>) -> Error {
        match reason {
            Some(Reason::FrameRefused) => Error::FrameRefused,
            Some(Reason::CrossOriginIsolated) => Error::CrossOriginIsolated,
            reason => Error::OAuth(Arc::new(OAuthError {
                reason,
                ..oauth("login_required")
            })),
        }
    }

    #[test]
    fn only_iframe_failures_redirect_and_only_when_allowed() {
        use AfterIframe::*;
        for reason in [
            Reason::ThirdPartyCookiesBlocked,
            Reason::FrameRefused,
            Reason::CrossOriginIsolated,
        ] {
            let error = failed(Some(reason));
            assert_eq!(error.reason(), Some(reason));
            assert_eq!(
                after_iframe(&error, SilentFallback::Redirect),
                Redirect(reason)
            );
            assert_eq!(after_iframe(&error, SilentFallback::None), Fail);
        }
        for reason in [Reason::SessionEnded, Reason::InteractionRequired] {
            let error = failed(Some(reason));
            assert_eq!(after_iframe(&error, SilentFallback::Redirect), NoSession);
        }
        assert_eq!(after_iframe(&failed(None), SilentFallback::Redirect), Fail);
        let timeout = Error::Timeout("t".into());
        assert_eq!(after_iframe(&timeout, SilentFallback::Redirect), Fail);
    }

    #[test]
    fn reasons_and_fallbacks_have_their_names() {
        for (reason, name) in REASONS {
            assert_eq!((reason.as_str(), Reason::parse(name)), (name, Some(reason)));
        }
        assert_eq!(RestoredBy::Redirect.as_str(), "redirect");
        assert_eq!(SilentFallback::parse("none"), Ok(SilentFallback::None));
        assert!(SilentFallback::parse("popup").is_err());
    }

    fn pending(return_path: &str) -> Guard<'_> {
        Guard::Pending {
            state: "s-_1",
            return_path,
            reason: Reason::FrameRefused,
        }
    }

    fn stored(return_path: &str) -> String {
        Guard::pending("s-_1", return_path, "", Reason::FrameRefused)
    }

    #[test]
    fn the_guard_round_trips_and_is_answered_by_its_state_only() {
        let guard = pending("/orders?id=7&x=%2F y");
        assert!(Guard::decode(&stored("/orders?id=7&x=%2F y")) == guard);
        assert!(Guard::decode(ENDED) == Guard::Ended);
        assert!(guard.answered_by(Some("s-_1")));
        assert!(!guard.answered_by(Some("other")) && !guard.answered_by(None));
        assert!(!Guard::Ended.answered_by(Some("s-_1")));
    }

    #[test]
    fn a_damaged_guard_or_a_foreign_return_path_ends_restores() {
        for stored in [
            "",
            "%zz",
            "pending frame_refused s",
            "pending frame_refused  /",
            "status=pending&state=s&return=%2F&reason=frame_refused",
            "status=what",
        ] {
            assert!(Guard::decode(stored) == Guard::Ended, "{stored}");
        }
        for path in [
            "//evil.example/",
            "https://evil.example/",
            "/a#b",
            "/\\evil",
            "",
        ] {
            assert!(Guard::decode(&stored(path)) == Guard::Ended, "{path}");
        }
        let unknown_reason = stored("/").replace("frame_refused", "whim");
        assert!(Guard::decode(&unknown_reason) == Guard::Ended);
    }
}
