//! ID-token verification, all of it before a token is handed to the app: compact JWS parsing,
//! the algorithm allow-list, the key from the provider's JWKS, the signature through WebCrypto,
//! every claim, and `at_hash`.

pub mod claims;
pub mod jwks;
pub mod jws;
pub mod verify;

pub use claims::{Claims, Expectations};
pub use jwks::{Jwk, JwkSet};
pub use jws::{Algorithm, Header, Jws};
pub use verify::{verify, KeyCache, VerifiedIdToken};
