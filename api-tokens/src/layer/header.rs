//! Reading the bearer token out of `Authorization`, per RFC 6750 §2.1 and RFC 7235.
//!
//! The scheme is matched case-insensitively and may be followed by one or more spaces;
//! the credentials are the rest of the value and must contain no further space. Anything
//! else (other schemes, several headers, a list, trailing words, bytes outside visible
//! ASCII) is malformed. Nothing here allocates or panics, whatever the input.

use http::HeaderMap;
use http::header::AUTHORIZATION;

/// What the `Authorization` header holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Credentials<'a> {
    /// No `Authorization` header at all.
    Missing,
    /// A header that is not exactly one well-formed bearer credential.
    Malformed,
    /// The credential after `Bearer `; its shape is checked by the verifier.
    Bearer(&'a str),
}

pub(crate) fn bearer_token(headers: &HeaderMap) -> Credentials<'_> {
    let mut values = headers.get_all(AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return if headers.contains_key(AUTHORIZATION) {
            Credentials::Malformed
        } else {
            Credentials::Missing
        };
    };
    let Ok(value) = value.to_str() else {
        return Credentials::Malformed;
    };

    let Some((scheme, rest)) = value.split_once(' ') else {
        return Credentials::Malformed;
    };
    let token = rest.trim_start_matches(' ');
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() || token.contains(' ') {
        return Credentials::Malformed;
    }
    Credentials::Bearer(token)
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn parse(values: &[&[u8]]) -> Credentials<'static> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                AUTHORIZATION,
                HeaderValue::from_bytes(value).expect("header value"),
            );
        }
        match bearer_token(&headers) {
            Credentials::Bearer(token) => Credentials::Bearer(token.to_owned().leak()),
            Credentials::Missing => Credentials::Missing,
            Credentials::Malformed => Credentials::Malformed,
        }
    }

    #[test]
    fn accepts_any_case_and_several_spaces() {
        for value in ["Bearer abc", "bearer abc", "BEARER abc", "Bearer   abc"] {
            assert_eq!(
                parse(&[value.as_bytes()]),
                Credentials::Bearer("abc"),
                "{value}"
            );
        }
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(parse(&[]), Credentials::Missing);
        for value in [
            &b"Basic abc"[..],
            b"abc",
            b"Bearerabc",
            b"Bearer",
            b"Bearer ",
            b"Bearer a, Bearer b",
            b"Bearer a x",
            b"Xbearer abc",
            b"Bearer \xff\xfe",
            b"Bearer\tabc",
        ] {
            assert_eq!(parse(&[value]), Credentials::Malformed, "{value:?}");
        }
        assert_eq!(parse(&[b"Bearer a", b"Bearer a"]), Credentials::Malformed);
    }
}
