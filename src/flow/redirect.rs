//! The redirect flow and what every flow shares: the provider's endpoints and keys, new
//! transactions, the code exchange, the verification of a response into an [`AuthResult`], and the
//! logout URL.

use alloc::{string::String, vec::Vec};
use core::cell::OnceCell;
use core::future::Future;

use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

use crate::browser::storage::SessionStore;
use crate::browser::{crypto, decode, fetch, now_ms};
use crate::core::authorize::{AuthorizeOptions, AuthorizeRequest};
use crate::core::claims::CheckedClaims;
use crate::core::config::{check_redirect_uri, Config, ProviderSource, ResponseType};
use crate::core::encoding::push_pair;
use crate::core::error::Error;
use crate::core::jws::Algorithm;
use crate::core::key_age::FetchedAt;
use crate::core::metadata::{discovery_url, with_query, Endpoints, LogoutEndpoint};
use crate::core::pkce::{s256_challenge, CodeVerifier};
use crate::core::response::{AuthResponse, Grant, ParamValue, Tokens};
use crate::core::secret::Secret;
use crate::core::tabs::SharedTokens;
use crate::core::text::concat;
use crate::core::token;
use crate::core::transaction::{Transaction, KEY_PREFIX};
use crate::flow::documents::Documents;
use crate::flow::single_flight::Landing;
use crate::flow::verify::KeyCache;

/// A verified authentication result. It lives in memory only.
#[derive(Debug, Clone)]
pub struct AuthResult {
    /// The access token, for `code` and `id_token token`.
    pub access_token: Option<Secret>,
    /// The verified ID token.
    pub id_token: Secret,
    /// The ID token's payload as JSON text. It holds personal data, so it prints redacted.
    pub id_token_payload: Secret,
    /// The ID token's `sub`: who logged in.
    pub subject: String,
    /// Seconds the access token lives, as the provider said.
    pub expires_in: Option<u64>,
    /// When the access token (or, without one, the ID token) expires, in ms since the epoch.
    pub expires_at: f64,
    /// The scope granted (or, when the provider names none, asked for).
    pub scope: String,
    /// The `state` of the request.
    pub state: String,
    /// The app's `appState`, as JSON text.
    pub app_state: Option<String>,
}

/// A verified result and what its tokens were asked for, which the session's renewals ask for
/// again.
#[derive(Debug)]
pub(crate) struct Verified {
    pub(crate) result: AuthResult,
    pub(crate) renew_with: RenewWith,
}

/// The scope and audience tokens were asked for: all of a request that their renewals repeat,
/// and all that tells whether they answer another request. Two fields, not a whole
/// [`AuthorizeOptions`] held with the tokens (wasm size: no copy nor drop of the rest).
#[derive(Debug)]
pub(crate) struct RenewWith {
    pub(crate) scope: String,
    pub(crate) audience: Option<String>,
}

/// What a request asked for, as far as verifying its tokens and making the result need it: the
/// part of a [`Transaction`] kept across the verification's waits (wasm size: no whole
/// transaction held and dropped there).
pub(crate) struct Asked {
    /// The nonce the ID token must carry; `None` only for tokens another tab shares: only the tab
    /// that asked the provider knew it (see [`crate::core::claims::Expectations::nonce`]).
    pub(crate) nonce: Option<Secret>,
    pub(crate) response_type: ResponseType,
    pub(crate) max_age: Option<u64>,
    pub(crate) scope: String,
    pub(crate) audience: Option<String>,
    pub(crate) app_state: Option<String>,
    /// The latest the tokens may expire, in ms since the epoch: when the tab that shares them
    /// said; unbounded (`f64::INFINITY`) for the provider's own.
    pub(crate) expires_by: f64,
}

impl Asked {
    /// What this tab's transaction asked for, its nonce included.
    fn by(tx: Transaction) -> Asked {
        Asked {
            nonce: Some(tx.nonce),
            response_type: tx.response_type,
            max_age: tx.max_age,
            scope: tx.scope,
            audience: tx.audience,
            app_state: tx.app_state,
            expires_by: f64::INFINITY,
        }
    }
}

impl Verified {
    /// The result of `tokens`, verified at `now_ms` (their ID token's payload and checked claims),
    /// and what was `asked` for them.
    pub(crate) fn made(
        tokens: Tokens,
        asked: Asked,
        now_ms: f64,
        payload: String,
        claims: CheckedClaims,
    ) -> Verified {
        let expires_at = match tokens.expires_in {
            Some(seconds) => now_ms + seconds as f64 * 1000.0,
            None => claims.expires_at * 1000.0,
        }
        .min(asked.expires_by);
        // The scope asked for is copied only when the provider names none.
        let scope = match tokens.scope {
            Some(granted) => granted,
            None => asked.scope.clone(),
        };
        let renew_with = RenewWith {
            scope: asked.scope,
            audience: asked.audience,
        };
        let result = AuthResult {
            access_token: tokens.access_token,
            id_token: tokens.id_token,
            id_token_payload: Secret::new(payload),
            subject: claims.subject,
            expires_in: tokens.expires_in,
            expires_at,
            scope,
            state: tokens.state,
            app_state: asked.app_state,
        };
        Verified { result, renew_with }
    }
}

/// The protocol engine of one configured client.
#[derive(Debug)]
pub(crate) struct Client {
    pub(crate) config: Config,
    /// Set once: no borrow to check, no second value, and lent to the callers for as long as
    /// the client lives, with no `Rc` to count (wasm size).
    endpoints: OnceCell<Endpoints>,
    pub(crate) keys: KeyCache,
    pub(crate) documents: Documents,
    store: SessionStore,
}

/// The token endpoint, which the code flow needs.
fn token_endpoint(endpoints: &Endpoints) -> Result<&str, Error> {
    match &endpoints.token {
        Some(url) => Ok(url),
        None => Err(Error::Provider("no token_endpoint".into())),
    }
}

impl Client {
    /// A client for `config`. Nothing is fetched until it is needed.
    pub(crate) fn new(config: Config) -> Client {
        Client {
            config,
            endpoints: OnceCell::new(),
            keys: KeyCache::default(),
            documents: Documents::default(),
            store: SessionStore::open(KEY_PREFIX),
        }
    }

    /// A client for `config` that holds `keys`, as if its provider's had been fetched.
    #[cfg(all(test, target_arch = "wasm32"))]
    pub(crate) fn with_keys(config: Config, endpoints: Endpoints, keys: KeyCache) -> Client {
        let mut client = Client::new(config);
        client.endpoints = OnceCell::from(endpoints);
        client.keys = keys;
        client
    }

    /// The provider's endpoints, made once and kept: with a `domain`, Auth0's conventions; with
    /// an `issuer`, from the discovery document stored by an earlier page when it is fresh and
    /// names the configured issuer, otherwise fetched. Auth0's are made here on first use, not in
    /// [`Client::new`], so that the constructor does not inline their building (wasm size).
    pub(crate) async fn endpoints(&self) -> Result<&Endpoints, Error> {
        if let Some(endpoints) = self.endpoints.get() {
            return Ok(endpoints);
        }
        let endpoints = match &self.config.provider {
            ProviderSource::Domain(base) => Endpoints::auth0(base),
            ProviderSource::Issuer(issuer) => {
                let url = discovery_url(issuer);
                let checked = |document: &JsValue| {
                    Endpoints::from_discovery(issuer, decode::discovery(document))
                };
                let stored = self.documents.stored(&url);
                match stored.and_then(|(document, _)| checked(&document).ok()) {
                    Some(endpoints) => endpoints,
                    None => checked(&self.documents.fetch(&url).await?)?,
                }
            }
        };
        // A discovery that ended first during this one's wait is kept: both were checked alike.
        Ok(self.endpoints.get_or_init(|| endpoints))
    }

    /// Starts what the first token will need from the keys of the provider at `endpoints`, see
    /// [`KeyCache::warm`].
    fn warm(&self, endpoints: &Endpoints) -> Option<Landing<Result<JsValue, Error>>> {
        let only = self.only_algorithm();
        self.keys
            .warm(&self.documents, &endpoints.jwks_uri, only, now_ms())
    }

    /// The one algorithm accepted, if only one is: its key can be imported before a token names it.
    fn only_algorithm(&self) -> Option<Algorithm> {
        match self.config.algorithms[..] {
            [alg] => Some(alg),
            _ => None,
        }
    }

    /// Gets what a callback needs from the provider (its endpoints and keys, see
    /// [`KeyCache::warm`]) unless they are held and fresh, so that they are stored before the page
    /// leaves for the login. Returns the endpoints, like [`Client::endpoints`], so that one
    /// `Call::run` serves both (wasm size).
    pub(crate) async fn prefetch(&self) -> Result<&Endpoints, Error> {
        let endpoints = self.endpoints().await?;
        if let Some(fetching) = self.warm(endpoints) {
            // Held as soon as fetched, not only stored (a storage that refuses would lose them);
            // then the key's import can start.
            if let Ok(value) = fetching.await {
                let _ = self.keys.hold(&value, FetchedAt(now_ms()));
                self.warm(endpoints);
            }
        }
        Ok(endpoints)
    }

    /// A new transaction for `request`, with fresh random state and nonce and, for `code`, a PKCE
    /// code verifier; and the authorize URL that carries them (the verifier as its S256 challenge).
    pub(crate) async fn start(
        &self,
        request: &AuthorizeRequest,
        endpoints: &Endpoints,
        app_state: Option<String>,
    ) -> Result<(Transaction, String), Error> {
        // The verifier and its challenge first, state and nonce after the digest's wait: only the
        // verifier is held across it (wasm size).
        let (code_verifier, challenge) = match request.response_type {
            ResponseType::Code => {
                let verifier = CodeVerifier::drawn(crypto::random_string()?);
                token_endpoint(endpoints)?;
                let digest = crypto::sha256(verifier.expose().as_bytes()).await?;
                (Some(verifier), Some(s256_challenge(&digest)))
            }
            _ => (None, None),
        };
        let state = Secret::new(crypto::random_string()?);
        let nonce = Secret::new(crypto::random_string()?);
        let tx = Transaction {
            state,
            nonce,
            response_type: request.response_type,
            redirect_uri: request.redirect_uri.clone(),
            code_verifier,
            scope: request.scope.clone(),
            audience: request.audience.clone(),
            max_age: request.max_age,
            app_state,
            created_at: now_ms(),
        };
        let url = request.url(
            &endpoints.authorization,
            tx.state.expose(),
            tx.nonce.expose(),
            challenge.as_deref(),
        );
        Ok((tx, url))
    }

    /// Builds the authorize URL and stores its transaction (dropping expired ones first); returns
    /// its state and the URL. The
    /// transaction must survive the redirect, so a storage that refuses it fails the call with
    /// `storage_unavailable`, before anything navigates.
    pub(crate) async fn begin(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<(Secret, String), Error> {
        let request = AuthorizeRequest::redirect(&self.config, options)?;
        let endpoints = self.endpoints().await?;
        let (tx, url) = self.start(&request, endpoints, app_state).await?;
        self.keep_transaction(&tx)?;
        Ok((tx.state, url))
    }

    /// Stores `tx`, after forgetting the stored transactions, of any client of this origin, that
    /// are expired or have no readable age ([`Transaction::is_stale`]). A synchronous step of its
    /// own, one call and one failure in [`Client::begin`]'s body (wasm size).
    fn keep_transaction(&self, tx: &Transaction) -> Result<(), Error> {
        let now = now_ms();
        self.store
            .remove_where(|stored| Transaction::is_stale(stored, now));
        self.store
            .put(tx.state.expose(), &tx.encode(&self.config.client_id))
    }

    /// The pending transaction of this client for `state`, if any.
    pub(crate) fn pending(&self, state: &str) -> Option<Transaction> {
        Transaction::decode(&self.store.get(state)?, &self.config.client_id)
    }

    /// Verifies an authorization response, the pairs of a callback fragment
    /// ([`fragment_pairs`](crate::core::response::fragment_pairs)). A response, an error as much
    /// as tokens, counts only when its state names a pending transaction (RFC 6749 §10.12):
    /// anyone can link to the app with `#error=…&error_description=…`. The transaction is consumed
    /// once the response's shape is right and before its code, if any, is exchanged: a code is
    /// redeemed at most once. Fetches stop when `signal` aborts.
    pub(crate) async fn parse_response(
        &self,
        pairs: Vec<(String, ParamValue)>,
        signal: &AbortSignal,
    ) -> Result<Verified, Error> {
        let endpoints = self.endpoints().await?;
        // The response's checks and the transaction's look-up end before the code exchange: the
        // state is not held across its waits (wasm size).
        let (grant, tx) = {
            let response =
                AuthResponse::from_pairs(&pairs, self.config.issuer(), endpoints.iss_required)?;
            // One look-up of the transaction for both kinds of response (wasm size).
            let state = match &response {
                AuthResponse::Error(error) => error.state.clone().unwrap_or_default(),
                AuthResponse::Success(params) => params.state.into(),
            };
            // The pending transaction it names, still fresh; consumed once the response's shape is
            // right. An unknown state consumes nothing; an expired one is forgotten. The state moves
            // into the error, not copied (wasm size).
            let Some(tx) = self.pending(&state) else {
                return Err(Error::UnknownState(state));
            };
            if tx.is_expired(now_ms()) {
                self.store.remove(&state);
                return Err(Error::StateExpired(state));
            }
            let grant = match response {
                AuthResponse::Error(error) => {
                    self.store.remove(&state);
                    return Err(Error::OAuth(error));
                }
                AuthResponse::Success(params) => params.into_grant(tx.response_type)?,
            };
            self.store.remove(&state);
            (grant, tx)
        };
        self.finish(grant, tx, endpoints, signal).await
    }

    /// The form that redeems `code` at the token endpoint with the transaction's PKCE verifier.
    fn token_request(&self, code: &Secret, tx: &Transaction) -> Result<Secret, Error> {
        let Some(verifier) = &tx.code_verifier else {
            return Err(Error::InvalidResponse("no PKCE code verifier".into()));
        };
        Ok(token::request_body(
            code,
            verifier,
            &tx.redirect_uri,
            &self.config.client_id,
        ))
    }

    /// Verifies a response's tokens against its transaction, after exchanging its code for them
    /// when it holds one (the keys, when not held, are fetched meanwhile); the token request stops
    /// when `signal` aborts.
    pub(crate) async fn finish(
        &self,
        grant: Grant,
        tx: Transaction,
        endpoints: &Endpoints,
        signal: &AbortSignal,
    ) -> Result<Verified, Error> {
        let tokens = match grant {
            Grant::Tokens(tokens) => tokens,
            Grant::Code(code) => {
                // The keys are read and their import started (or their fetch) while the token
                // request is out, not after its answer: the constructor's prefetch waits for a
                // timer, which a loading page runs late (often after the answer).
                let _ = self.warm(endpoints);
                // The token request, without cookies, until `signal` aborts; a `refresh_token` in
                // the answer is never read. Awaited here, in no function of its own (wasm size).
                let body = self.token_request(&code, &tx)?;
                let url = token_endpoint(endpoints)?;
                let (status, answer) = fetch::post_form(url, body.expose(), signal).await?;
                token::tokens(status, decode::response_pairs(&answer), tx.state.expose())?
            }
        };
        self.verified(tokens, Asked::by(tx), now_ms()).await
    }

    /// Verifies tokens another tab of this app shares, as [`Client::finish`] verifies the
    /// provider's (signature with this client's keys, `iss`, `aud`, `azp`, `exp`, the configured
    /// `max_age`, `at_hash` as this client's response type requires it), except for the nonce:
    /// only the tab that asked the provider knew it. They expire when that tab said, never later
    /// than their own lifetime from now. The result has no `state` and no `app_state`: they
    /// belonged to that tab's request.
    pub(crate) fn verify_shared(
        &self,
        shared: SharedTokens,
    ) -> impl Future<Output = Result<Verified, Error>> + '_ {
        // What that tab's request asked for, as far as the checks need it; a plain function
        // giving the verification's future, with no async layer of its own (wasm size).
        let asked = Asked {
            nonce: None,
            response_type: self.config.response_type,
            max_age: self.config.max_age,
            scope: shared.asked_scope,
            audience: shared.audience,
            app_state: None,
            expires_by: shared.expires_at as f64,
        };
        self.verified(shared.tokens, asked, now_ms())
    }

    /// The provider's logout URL: Auth0's `/v2/logout` (`client_id`, `returnTo`) or the OIDC
    /// `end_session_endpoint` (`client_id`, `id_token_hint`, `post_logout_redirect_uri`).
    pub(crate) async fn logout_url(
        &self,
        return_to: Option<&str>,
        id_token_hint: Option<&Secret>,
    ) -> Result<String, Error> {
        if let Some(Err(reason)) = return_to.map(check_redirect_uri) {
            return Err(Error::InvalidRequest(concat(&["returnTo", reason])));
        }
        let endpoints = self.endpoints().await?;
        // Each pair written into the query as it is decided: no list of pairs (wasm size).
        let mut query = String::new();
        push_pair(&mut query, "client_id", &self.config.client_id);
        let endpoint = match &endpoints.logout {
            LogoutEndpoint::Auth0(endpoint) => {
                if let Some(uri) = return_to {
                    push_pair(&mut query, "returnTo", uri);
                }
                endpoint
            }
            LogoutEndpoint::EndSession(endpoint) => {
                if let Some(hint) = id_token_hint {
                    push_pair(&mut query, "id_token_hint", hint.expose());
                }
                if let Some(uri) = return_to {
                    push_pair(&mut query, "post_logout_redirect_uri", uri);
                }
                endpoint
            }
            LogoutEndpoint::Unsupported => {
                return Err(Error::InvalidRequest(
                    "the provider publishes no end_session_endpoint".into(),
                ))
            }
        };
        Ok(with_query(endpoint, &query))
    }
}

/// The callback's checks against stored transactions, in Node and in Chromium.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;
    use crate::core::config::ConfigOptions;
    use crate::core::response::{fragment_pairs, holds_response};
    use crate::flow::cancel::{Call, Cancel};

    /// Nothing listens on this loopback port: a token request there fails at once.
    const CLOSED_PORT: &str = "http://127.0.0.1:9";

    fn store() -> SessionStore {
        crate::browser::storage::ensure_session_storage();
        SessionStore::open(KEY_PREFIX)
    }

    fn client_of(domain: &str) -> Client {
        crate::browser::storage::ensure_session_storage();
        Client::new(
            Config::new(&ConfigOptions {
                domain: Some(domain.into()),
                client_id: Some("abc".into()),
                redirect_uri: Some("https://app.example/cb".into()),
                ..ConfigOptions::default()
            })
            .unwrap(),
        )
    }

    fn client() -> Client {
        client_of("tenant.auth0.com")
    }

    fn stored_as(state: &str, created_at: f64, response_type: ResponseType) -> String {
        let code_verifier = (response_type == ResponseType::Code)
            .then(|| CodeVerifier::read("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap());
        let tx = Transaction {
            state: state.into(),
            nonce: "n".into(),
            response_type,
            redirect_uri: "https://app.example/cb".into(),
            code_verifier,
            scope: "openid".into(),
            audience: None,
            max_age: None,
            app_state: None,
            created_at,
        };
        store().put(state, &tx.encode("abc")).unwrap();
        tx.encode("abc")
    }

    fn stored(state: &str, created_at: f64) -> String {
        stored_as(state, created_at, ResponseType::IdTokenToken)
    }

    /// Reads `fragment` as a callback within 5 s (its `#` taken off, as `parse_hash` does).
    async fn parse(client: &Client, fragment: &str) -> Result<Option<Verified>, Error> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        if !holds_response(fragment) {
            return Ok(None);
        }
        let pairs = fragment_pairs(fragment)?;
        let call = Call::within(&Cancel::default(), 5_000);
        call.run(client.parse_response(pairs, &call.signal()))
            .await
            .map(Some)
    }

    async fn code_of(client: &Client, fragment: &str) -> String {
        parse(client, fragment).await.unwrap_err().code().to_owned()
    }

    async fn code(fragment: &str) -> String {
        code_of(&client(), fragment).await
    }

    #[wasm_bindgen_test]
    async fn the_s256_challenge_of_webcrypto_matches_rfc_7636_appendix_b() {
        let digest = crypto::sha256(b"dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
            .await
            .unwrap();
        assert_eq!(
            s256_challenge(&digest),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[wasm_bindgen_test]
    async fn a_code_request_carries_the_challenge_of_its_stored_verifier() {
        let client = client();
        let (_, url) = client
            .begin(&AuthorizeOptions::default(), None)
            .await
            .unwrap();
        let query = url.split_once('?').unwrap().1;
        let pairs = crate::core::encoding::form_decode(query).unwrap();
        let get = |name: &str| pairs.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert_eq!(get("response_type"), "code");
        assert_eq!(get("response_mode"), "fragment");
        assert_eq!(get("code_challenge_method"), "S256");
        let tx = Transaction::decode(&store().get(&get("state")).unwrap(), "abc").unwrap();
        let verifier = tx.code_verifier.unwrap();
        assert_eq!(verifier.expose().len(), 43);
        let digest = crypto::sha256(verifier.expose().as_bytes()).await.unwrap();
        assert_eq!(get("code_challenge"), s256_challenge(&digest));
        store().remove(&get("state"));
    }

    #[wasm_bindgen_test]
    async fn an_unknown_state_is_refused_and_touches_no_other_transaction() {
        let other = stored("other", js_sys::Date::now());
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=unknown").await,
            "invalid_state"
        );
        assert_eq!(code("#code=c&state=unknown").await, "invalid_state");
        assert_eq!(store().get("other"), Some(other));
        store().remove("other");
    }

    #[wasm_bindgen_test]
    async fn an_expired_state_is_refused_and_forgotten() {
        stored("old", js_sys::Date::now() - 31.0 * 60.0 * 1000.0);
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=old").await,
            "state_expired"
        );
        assert_eq!(store().get("old"), None);
        stored_as(
            "old-code",
            js_sys::Date::now() - 31.0 * 60.0 * 1000.0,
            ResponseType::Code,
        );
        assert_eq!(code("#code=c&state=old-code").await, "state_expired");
        assert_eq!(store().get("old-code"), None);
    }

    #[wasm_bindgen_test]
    async fn a_code_is_redeemed_once_its_transaction_is_consumed() {
        let client = client_of(CLOSED_PORT);
        stored_as("once", js_sys::Date::now(), ResponseType::Code);
        assert_eq!(
            code_of(&client, "#code=c&state=once").await,
            "provider_error",
            "the token request was sent, and failed"
        );
        assert_eq!(store().get("once"), None);
        assert_eq!(
            code_of(&client, "#code=c&state=once").await,
            "invalid_state",
            "a replay sends nothing"
        );
    }

    #[wasm_bindgen_test]
    async fn a_response_of_the_wrong_shape_consumes_nothing() {
        let kept = stored("shape", js_sys::Date::now());
        assert_eq!(
            code("#id_token=x&state=shape").await,
            "invalid_response",
            "no access token"
        );
        assert_eq!(
            code("#id_token=x&access_token=y&token_type=Bearer&state=shape&state=shape").await,
            "invalid_response"
        );
        assert_eq!(code("#code=c&state=shape").await, "invalid_response");
        assert_eq!(store().get("shape"), Some(kept));
        store().remove("shape");
        let kept = stored_as("code-shape", js_sys::Date::now(), ResponseType::Code);
        assert_eq!(
            code("#code=c&id_token=x&state=code-shape").await,
            "invalid_response"
        );
        assert_eq!(store().get("code-shape"), Some(kept));
        store().remove("code-shape");
    }

    #[wasm_bindgen_test]
    async fn a_provider_error_consumes_its_transaction_and_keeps_the_state() {
        stored("denied", js_sys::Date::now());
        let error = parse(
            &client(),
            "#error=access_denied&error_description=No&state=denied",
        )
        .await
        .unwrap_err();
        assert_eq!(
            (error.code(), error.description().as_str(), error.state()),
            ("access_denied", "No", Some("denied"))
        );
        assert_eq!(store().get("denied"), None);
    }

    #[wasm_bindgen_test]
    async fn an_error_without_a_pending_state_is_an_unknown_state_not_the_attackers_text() {
        let other = stored("other-error", js_sys::Date::now());
        for fragment in [
            "#error=access_denied&error_description=Call%20+1%20555&state=forged",
            "#error=access_denied&error_description=Call%20+1%20555",
        ] {
            let error = parse(&client(), fragment).await.unwrap_err();
            assert_eq!(error.code(), "invalid_state", "{fragment}");
            assert!(!error.description().contains("555"));
        }
        assert_eq!(store().get("other-error"), Some(other));
        store().remove("other-error");
    }

    #[wasm_bindgen_test]
    async fn a_mixed_up_issuer_is_refused_before_the_state_is_used() {
        let kept = stored("mixup", js_sys::Date::now());
        let fragment = "#id_token=x&access_token=y&token_type=Bearer&state=mixup&iss=https%3A%2F%2Fevil.example%2F";
        assert_eq!(code(fragment).await, "invalid_response");
        assert_eq!(store().get("mixup"), Some(kept));
        store().remove("mixup");
    }
}
