//! The redirect flow: begin a login (authorize URL plus stored transaction), read the answer
//! (state, shape, full ID-token verification), and build the logout URL.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::authorize::{AuthorizeOptions, AuthorizeRequest};
use crate::browser::object::string;
use crate::browser::storage::TransactionStore;
use crate::browser::{crypto, fetch, now_ms};
use crate::config::{check_redirect_uri, Config, ProviderSource};
use crate::encoding::form_encode;
use crate::error::Error;
use crate::id_token::{verify, Expectations, KeyCache};
use crate::metadata::{discovery_url, with_query, Discovery, Endpoints, LogoutEndpoint};
use crate::response::{AuthResponse, TokenResponse};
use crate::transaction::{storage_key, Transaction};

/// A verified authentication result. It lives in memory only.
pub struct AuthResult {
    /// The access token, for `id_token token`.
    pub access_token: Option<String>,
    /// The verified ID token.
    pub id_token: String,
    /// The ID token's claims, as parsed by the browser.
    pub id_token_payload: JsValue,
    /// `Bearer`.
    pub token_type: Option<String>,
    /// Seconds the access token lives.
    pub expires_in: Option<u64>,
    /// When the access token (or, without one, the ID token) expires, in ms since the epoch.
    pub expires_at: Option<f64>,
    /// The scope granted.
    pub scope: Option<String>,
    /// The state of the request.
    pub state: String,
    /// The app's `appState`, as JSON.
    pub app_state: Option<String>,
}

impl core::fmt::Debug for AuthResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AuthResult")
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// The SDK's protocol engine for one configured client.
#[derive(Debug)]
pub struct Client {
    /// The checked configuration.
    pub config: Config,
    endpoints: RefCell<Option<Rc<Endpoints>>>,
    keys: RefCell<Option<Rc<KeyCache>>>,
    store: TransactionStore,
}

impl Client {
    /// A client for `config`. Nothing is fetched until it is needed.
    pub fn new(config: Config) -> Client {
        let endpoints = match &config.provider {
            ProviderSource::Domain(base) => Some(Rc::new(Endpoints::auth0(base))),
            ProviderSource::Issuer(_) => None,
        };
        Client {
            config,
            endpoints: RefCell::new(endpoints),
            keys: RefCell::new(None),
            store: TransactionStore::open(),
        }
    }

    /// The provider's endpoints, discovered once and kept.
    pub async fn endpoints(&self) -> Result<Rc<Endpoints>, Error> {
        if let Some(endpoints) = self.endpoints.borrow().clone() {
            return Ok(endpoints);
        }
        let ProviderSource::Issuer(issuer) = &self.config.provider else {
            return Err(Error::Configuration("no provider endpoints".into()));
        };
        let url = discovery_url(issuer);
        let value = fetch::get_json(&url).await?;
        let doc = Discovery {
            issuer: string(&value, "issuer"),
            authorization_endpoint: string(&value, "authorization_endpoint"),
            jwks_uri: string(&value, "jwks_uri"),
            end_session_endpoint: string(&value, "end_session_endpoint"),
        };
        let endpoints = Rc::new(Endpoints::from_discovery(issuer, doc)?);
        *self.endpoints.borrow_mut() = Some(endpoints.clone());
        Ok(endpoints)
    }

    fn keys(&self, endpoints: &Endpoints) -> Rc<KeyCache> {
        self.keys
            .borrow_mut()
            .get_or_insert_with(|| Rc::new(KeyCache::new(endpoints.jwks_uri.clone())))
            .clone()
    }

    /// A new transaction for `request`, with fresh random state and nonce.
    pub fn transaction(
        &self,
        request: &AuthorizeRequest,
        app_state: Option<String>,
    ) -> Result<Transaction, Error> {
        Ok(Transaction {
            state: crypto::random_string()?,
            nonce: crypto::random_string()?,
            client_id: self.config.client_id.clone(),
            response_type: request.response_type,
            scope: request.scope.clone(),
            max_age: request.max_age,
            app_state,
            created_at: now_ms(),
        })
    }

    /// Builds the authorize URL and stores its transaction (dropping expired ones first).
    pub async fn begin(
        &self,
        options: AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<String, Error> {
        let request = AuthorizeRequest::new(&self.config, &options)?;
        let endpoints = self.endpoints().await?;
        let tx = self.transaction(&request, app_state)?;
        self.sweep();
        self.store.put(&storage_key(&tx.state), &tx.encode());
        Ok(request.url(
            &endpoints.authorization,
            &self.config.client_id,
            &tx.state,
            &tx.nonce,
        ))
    }

    fn sweep(&self) {
        let now = now_ms();
        for key in self.store.keys() {
            let stale = self
                .store
                .get(&key)
                .and_then(|v| Transaction::decode(&v))
                .is_none_or(|tx| tx.is_expired(now));
            if stale {
                self.store.remove(&key);
            }
        }
    }

    /// Reads a callback fragment: `Ok(None)` when it holds no authorization response. A response
    /// is checked against its transaction, which is consumed only once the response's shape is
    /// right; an unknown state consumes nothing.
    pub async fn parse_fragment(&self, fragment: &str) -> Result<Option<AuthResult>, Error> {
        let Some(pairs) = AuthResponse::fragment_pairs(fragment)? else {
            return Ok(None);
        };
        let issuer = self.endpoints().await?.issuer.clone();
        let tokens = match AuthResponse::from_pairs(pairs, &issuer)? {
            AuthResponse::Error(error) => {
                if let Some(state) = error.state() {
                    self.store.remove(&storage_key(state));
                }
                return Err(error);
            }
            AuthResponse::Tokens(tokens) => tokens,
        };
        let key = storage_key(&tokens.state);
        let unknown = || Error::UnknownState(tokens.state.clone());
        let tx = self
            .store
            .get(&key)
            .and_then(|v| Transaction::decode(&v))
            .ok_or_else(unknown)?;
        if tx.client_id != self.config.client_id {
            return Err(unknown());
        }
        if tx.is_expired(now_ms()) {
            self.store.remove(&key);
            return Err(Error::StateExpired(tokens.state));
        }
        tokens.check_shape(tx.response_type)?;
        self.store.remove(&key);
        self.finish(tokens, tx).await.map(Some)
    }

    /// Verifies a response's tokens against its transaction.
    pub async fn finish(
        &self,
        tokens: TokenResponse,
        tx: Transaction,
    ) -> Result<AuthResult, Error> {
        let endpoints = self.endpoints().await?;
        let now = now_ms();
        let id_token = tokens.id_token.unwrap_or_default();
        let expect = Expectations {
            issuer: &endpoints.issuer,
            client_id: &self.config.client_id,
            nonce: &tx.nonce,
            max_age: tx.max_age,
            leeway: self.config.leeway,
            now: now / 1000.0,
        };
        let keys = self.keys(&endpoints);
        let verified = verify(
            &id_token,
            tokens.access_token.as_deref(),
            &keys,
            &self.config.algorithms,
            &expect,
        )
        .await?;
        let expires_at = match tokens.expires_in {
            Some(seconds) => Some(now + seconds as f64 * 1000.0),
            None => verified.claims.exp.map(|exp| exp * 1000.0),
        };
        Ok(AuthResult {
            access_token: tokens.access_token,
            id_token,
            id_token_payload: verified.payload,
            token_type: tokens.token_type,
            expires_in: tokens.expires_in,
            expires_at,
            scope: tokens.scope.or(Some(tx.scope)),
            state: tokens.state,
            app_state: tx.app_state,
        })
    }

    /// The provider's logout URL: Auth0's `/v2/logout` (`client_id`, `returnTo`) or the OIDC
    /// `end_session_endpoint` (`client_id`, `id_token_hint`, `post_logout_redirect_uri`).
    pub async fn logout_url(
        &self,
        return_to: Option<&str>,
        id_token_hint: Option<&str>,
    ) -> Result<String, Error> {
        if let Some(uri) = return_to {
            check_redirect_uri("returnTo", uri)
                .map_err(|e| Error::InvalidRequest(e.description()))?;
        }
        let endpoints = self.endpoints().await?;
        let mut pairs = vec![("client_id", self.config.client_id.as_str())];
        let endpoint = match &endpoints.logout {
            LogoutEndpoint::Auth0(endpoint) => {
                pairs.extend(return_to.map(|uri| ("returnTo", uri)));
                endpoint
            }
            LogoutEndpoint::EndSession(endpoint) => {
                pairs.extend(id_token_hint.map(|hint| ("id_token_hint", hint)));
                pairs.extend(return_to.map(|uri| ("post_logout_redirect_uri", uri)));
                endpoint
            }
            LogoutEndpoint::Unsupported => {
                return Err(Error::InvalidRequest(
                    "the provider publishes no end_session_endpoint".into(),
                ))
            }
        };
        Ok(with_query(endpoint, &form_encode(pairs)))
    }
}
