//! Scope values (RFC 6749 §3.3): `openid` always present, `offline_access` never.

use crate::core::error::Error;

/// Normalises a space-separated scope: `openid` first, duplicates dropped. Refuses
/// `offline_access`, because an SPA must never hold a refresh token.
pub(crate) fn with_openid(scope: &str) -> Result<String, Error> {
    let mut words: Vec<&str> = vec!["openid"];
    for word in scope.split_ascii_whitespace() {
        if word == "offline_access" {
            return Err(Error::OfflineAccessRefused);
        }
        if !words.contains(&word) {
            words.push(word);
        }
    }
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openid_comes_first_once() {
        assert_eq!(
            with_openid("profile openid  email profile").unwrap(),
            "openid profile email"
        );
        assert_eq!(with_openid("").unwrap(), "openid");
    }

    #[test]
    fn offline_access_is_refused() {
        assert_eq!(
            with_openid("openid offline_access").unwrap_err(),
            Error::OfflineAccessRefused
        );
    }
}
