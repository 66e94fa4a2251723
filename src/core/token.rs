//! The token request of the authorization code flow (RFC 6749 §4.1.3 with RFC 7636 §4.5) and the
//! token endpoint's answer (RFC 6749 §5.1 and §5.2). The SDK is a public client: no secret, the
//! code verifier is the proof.

use crate::core::config::ResponseType;
use crate::core::encoding::push_pair;
use crate::core::error::Error;
use crate::core::pkce::CodeVerifier;
use crate::core::response::{AuthResponse, ParamValue, Tokens};
use crate::core::secret::Secret;
use crate::core::text::{concat, decimal};
use alloc::{string::String, vec::Vec};

/// The form-encoded body of the token request: it holds the code and the verifier. Each pair
/// written straight into the body, as the transaction's are: no array of pairs to build and
/// walk (wasm size).
pub(crate) fn request_body(
    code: &Secret,
    verifier: &CodeVerifier,
    redirect_uri: &str,
    client_id: &str,
) -> Secret {
    let mut body = String::from("grant_type=authorization_code");
    push_pair(&mut body, "code", code.expose());
    push_pair(&mut body, "code_verifier", verifier.expose());
    push_pair(&mut body, "redirect_uri", redirect_uri);
    push_pair(&mut body, "client_id", client_id);
    Secret::new(body)
}

/// The tokens in the token endpoint's answer: its HTTP `status` and its JSON members.
/// An OAuth error passes through, whatever the status, with the authorization response's `state`;
/// any other failure status is the provider's; a success must hold an ID token and a Bearer access
/// token. The state is the authorization response's.
pub(crate) fn tokens(
    status: u16,
    pairs: Vec<(String, ParamValue)>,
    state: &str,
) -> Result<Tokens, Error> {
    match AuthResponse::read(&pairs, Some(state), None)? {
        AuthResponse::Error(error) => Err(Error::OAuth(error)),
        AuthResponse::Success(_) if !(200..300).contains(&status) => Err(Error::http_status(
            status,
            concat(&[
                "the token endpoint answered HTTP ",
                &decimal(status.into()),
                " without an OAuth error",
            ]),
        )),
        AuthResponse::Success(params) => params.into_tokens(ResponseType::Code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::form_decode;
    use crate::core::response::text_pairs;

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn answer(status: u16, members: &str) -> Result<Tokens, Error> {
        tokens(status, text_pairs(form_decode(members).unwrap()), "st")
    }

    #[test]
    fn the_request_body_is_exact() {
        let verifier = CodeVerifier::read(VERIFIER).unwrap();
        let body = request_body(
            &"c0de/+".into(),
            &verifier,
            "http://localhost:8080/cb?x=1",
            "spa-test",
        );
        assert_eq!(
            body.expose(),
            "grant_type=authorization_code&code=c0de%2F%2B\
             &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk\
             &redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb%3Fx%3D1&client_id=spa-test"
        );
        assert_eq!(format!("{body:?}"), "[redacted]");
    }

    #[test]
    fn a_success_gives_the_tokens_and_drops_a_refresh_token() {
        let t = answer(
            200,
            "access_token=at&id_token=a.b.c&token_type=bearer&expires_in=3600\
             &scope=openid%20read&refresh_token=rt-secret&state=other",
        )
        .unwrap();
        assert_eq!(t.access_token.as_ref().map(Secret::expose), Some("at"));
        assert_eq!(t.id_token.expose(), "a.b.c");
        assert_eq!(
            (t.state.as_str(), t.expires_in, t.scope.as_deref()),
            ("st", Some(3600), Some("openid read"))
        );
        assert!(!format!("{t:?}").contains("rt-secret"));
    }

    #[test]
    fn an_oauth_error_passes_through_with_the_state() {
        let e = answer(400, "error=invalid_grant&error_description=PKCE%20failed").unwrap_err();
        assert_eq!(
            (e.code(), e.description().as_str(), e.state()),
            ("invalid_grant", "PKCE failed", Some("st"))
        );
        assert_eq!(
            answer(200, "error=invalid_request").unwrap_err().code(),
            "invalid_request"
        );
    }

    #[test]
    fn other_answers_are_refused_without_their_tokens() {
        let cases = [
            (
                500,
                "access_token=SECRET&id_token=SECRET&token_type=Bearer",
                "provider_error",
            ),
            (200, "id_token=SECRET&token_type=Bearer", "invalid_response"),
            (
                200,
                "access_token=SECRET&token_type=Bearer",
                "invalid_response",
            ),
            (
                200,
                "access_token=SECRET&id_token=SECRET",
                "invalid_response",
            ),
            (
                200,
                "access_token=SECRET&id_token=SECRET&token_type=DPoP",
                "invalid_response",
            ),
            (
                200,
                "access_token=SECRET&id_token=SECRET&token_type=Bearer&expires_in=1.5",
                "invalid_response",
            ),
            (200, "", "invalid_response"),
        ];
        for (status, members, code) in cases {
            let e = answer(status, members).unwrap_err();
            assert_eq!(e.code(), code, "{status} {members}");
            assert!(!e.description().contains("SECRET"), "{members}");
        }
        let passing = answer(503, "access_token=SECRET").unwrap_err();
        assert!(
            matches!(passing, Error::ProviderUnavailable(_)),
            "a 503 may pass"
        );
        let permanent = answer(404, "").unwrap_err();
        assert!(matches!(permanent, Error::Provider(_)));
    }
}
