//! Just enough of absolute URLs for the protocol's checks: the scheme (https, or http for the
//! loopback host only), the origin a `postMessage` must come from, and the site a cookie
//! belongs to.

use crate::core::text::concat;

/// An absolute `http(s)` URL, split at its authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`, lower case.
    pub(crate) scheme: String,
    /// The host, lower case (an IPv6 address keeps its brackets).
    pub(crate) host: String,
    /// The port, when one is written and is not the scheme's default.
    pub(crate) port: Option<String>,
    /// Whether the URL has a `#fragment`.
    pub(crate) has_fragment: bool,
}

impl Url {
    /// Parses an absolute `http:` or `https:` URL without user info; `None` otherwise.
    pub(crate) fn parse(input: &str) -> Option<Url> {
        // No str slicing and no multi-character patterns here: their panic and search code
        // would cost kilobytes of wasm.
        let (scheme, rest) = input.split_once(':')?;
        let rest = rest.strip_prefix("//")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => "443",
            "http" => "80",
            _ => return None,
        };
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.is_empty()
            || authority.contains('@')
            || input.chars().any(|c| c.is_ascii_whitespace())
        {
            return None;
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, Some(port)),
            _ => (authority, None),
        };
        if host.is_empty()
            || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        Some(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port: port.filter(|&p| p != default_port).map(str::to_owned),
            has_fragment: rest.contains('#'),
        })
    }

    /// The origin, `scheme://host[:port]`, as `event.origin` and `location.origin` spell it.
    pub(crate) fn origin(&self) -> String {
        match &self.port {
            Some(port) => concat(&[&self.scheme, "://", &self.host, ":", port]),
            None => concat(&[&self.scheme, "://", &self.host]),
        }
    }

    /// Whether the host is the loopback interface, where plain `http` is tolerated (RFC 8252 §8.3).
    pub(crate) fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "127.0.0.1"
            || self.host == "[::1]"
    }

    /// `https`, or `http` on the loopback host.
    pub(crate) fn is_secure(&self) -> bool {
        self.scheme == "https" || self.is_loopback()
    }

    /// The schemeful site that cookies are scoped to, approximated as the scheme and the last two
    /// labels of the host (or the whole host for an IP address or a single label).
    pub(crate) fn site(&self) -> String {
        let host = &self.host;
        let is_ip = host.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let mut labels = host.rsplit('.');
        match (is_ip, labels.next(), labels.next()) {
            (false, Some(top), Some(second)) => concat(&[&self.scheme, "://", second, ".", top]),
            _ => concat(&[&self.scheme, "://", host]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_drops_default_ports_and_lowercases() {
        assert_eq!(
            Url::parse("HTTPS://Tenant.Auth0.com:443/authorize?x#y")
                .unwrap()
                .origin(),
            "https://tenant.auth0.com"
        );
        assert_eq!(
            Url::parse("http://localhost:3000").unwrap().origin(),
            "http://localhost:3000"
        );
        assert_eq!(
            Url::parse("http://[::1]:8080/cb").unwrap().origin(),
            "http://[::1]:8080"
        );
    }

    #[test]
    fn rejects_what_is_not_an_absolute_web_url() {
        for bad in [
            "localhost:3000",
            "javascript://x",
            "https://",
            "https://user@evil.example/",
            "https://a:b/",
            "https://a b/",
        ] {
            assert_eq!(Url::parse(bad), None, "{bad}");
        }
        assert!(
            Url::parse("https://a.example/cb#frag")
                .unwrap()
                .has_fragment
        );
    }

    #[test]
    fn http_is_only_for_loopback() {
        assert!(Url::parse("http://localhost:8080/").unwrap().is_secure());
        assert!(Url::parse("http://127.0.0.1/").unwrap().is_secure());
        assert!(!Url::parse("http://app.example/").unwrap().is_secure());
        assert!(Url::parse("https://app.example/").unwrap().is_secure());
    }

    #[test]
    fn site_ignores_ports_and_subdomains() {
        let site = |u: &str| Url::parse(u).unwrap().site();
        assert_eq!(
            site("http://localhost:8080/"),
            site("http://localhost:3000/")
        );
        assert_eq!(
            site("https://login.shop.example/"),
            site("https://www.shop.example/")
        );
        assert_ne!(
            site("https://tenant.auth0.com/"),
            site("https://shop.example/")
        );
        assert_ne!(
            site("http://127.0.0.1:3000/"),
            site("http://localhost:8080/")
        );
    }
}
