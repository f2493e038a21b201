//! The token format: generation, strict parsing, the lookup id and the display prefix.
//!
//! A token is `sh_live_` followed by 32 characters drawn by nanoid's generator from the
//! 62-character alphanumeric alphabet: 40 ASCII bytes and about 190 bits of randomness.
//! The first [`LOOKUP_ID_LEN`] random characters double as the lookup id, stored in clear
//! and indexed, so a presented token is found with one indexed read and an unknown one is
//! refused without any bcrypt work.

use std::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The fixed prefix every token starts with.
pub const TOKEN_PREFIX: &str = "sh_live_";

/// Number of random characters after [`TOKEN_PREFIX`].
pub const RANDOM_LEN: usize = 32;

/// Total length of a token in bytes (all ASCII).
pub const TOKEN_LEN: usize = TOKEN_PREFIX.len() + RANDOM_LEN;

/// Number of random characters that form the lookup id.
///
/// Twelve characters give 62^12 ≈ 3.2 × 10^21 values, so lookup ids of honestly generated
/// tokens do not collide in practice, while the remaining 20 characters (about 119 bits)
/// are never stored anywhere but inside the bcrypt hash.
pub const LOOKUP_ID_LEN: usize = 12;

const ALPHABET: [char; 62] = [
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i',
    'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'A', 'B',
    'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U',
    'V', 'W', 'X', 'Y', 'Z',
];

/// A plaintext token, as handed to its owner exactly once.
///
/// `Debug` and `Display` never print the secret part, and the memory holding it is zeroed
/// when the value is dropped. Call [`TokenSecret::expose_secret`] where the plaintext must
/// really leave the process (the creation response).
pub struct TokenSecret(Zeroizing<String>);

impl TokenSecret {
    /// Generates a new random token from the operating system's CSPRNG.
    pub fn generate() -> Self {
        let random = nanoid::format(nanoid::rngs::default, &ALPHABET, RANDOM_LEN);
        let mut token = String::with_capacity(TOKEN_LEN);
        token.push_str(TOKEN_PREFIX);
        token.push_str(&random);
        Self(Zeroizing::new(token))
    }

    /// The plaintext token. Handle with care: it must only reach the token's owner.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The lookup id: the first [`LOOKUP_ID_LEN`] random characters.
    pub fn lookup_id(&self) -> &str {
        &self.0[TOKEN_PREFIX.len()..TOKEN_PREFIX.len() + LOOKUP_ID_LEN]
    }

    /// The masked form shown after creation, for example `sh_live_AbCdEfGhIjKl…`.
    pub fn display_prefix(&self) -> String {
        display_prefix(self.lookup_id())
    }
}

impl fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TokenSecret")
            .field(&self.display_prefix())
            .finish()
    }
}

impl fmt::Display for TokenSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_prefix())
    }
}

/// The masked form of a token with the given lookup id: `sh_live_` + lookup id + `…`.
pub fn display_prefix(lookup_id: &str) -> String {
    format!("{TOKEN_PREFIX}{lookup_id}…")
}

/// A presented token that has the right shape. Borrowed from the request; never stored.
#[derive(Clone, Copy)]
pub(crate) struct ParsedToken<'a> {
    full: &'a str,
}

impl<'a> ParsedToken<'a> {
    /// Accepts exactly `sh_live_` followed by 32 ASCII alphanumeric characters.
    pub(crate) fn parse(presented: &'a str) -> Option<Self> {
        let random = presented.strip_prefix(TOKEN_PREFIX)?;
        let well_formed =
            random.len() == RANDOM_LEN && random.bytes().all(|b| b.is_ascii_alphanumeric());
        well_formed.then_some(Self { full: presented })
    }

    pub(crate) fn as_str(&self) -> &'a str {
        self.full
    }

    pub(crate) fn lookup_id(&self) -> &'a str {
        &self.full[TOKEN_PREFIX.len()..TOKEN_PREFIX.len() + LOOKUP_ID_LEN]
    }

    /// SHA-256 of the whole token: the key of the verification cache.
    pub(crate) fn digest(&self) -> [u8; 32] {
        Sha256::digest(self.full.as_bytes()).into()
    }
}

impl fmt::Debug for ParsedToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ParsedToken")
            .field(&display_prefix(self.lookup_id()))
            .finish()
    }
}

/// Returns `true` when `presented` has the shape of a token (it may still be unknown).
pub fn is_well_formed(presented: &str) -> bool {
    ParsedToken::parse(presented).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_token_has_the_documented_shape() {
        let token = TokenSecret::generate();

        let plain = token.expose_secret();

        assert_eq!(plain.len(), TOKEN_LEN);
        assert!(plain.starts_with(TOKEN_PREFIX));
        assert!(is_well_formed(plain));
        assert_eq!(token.lookup_id(), &plain[8..20]);
        assert_eq!(
            token.display_prefix(),
            format!("sh_live_{}…", &plain[8..20])
        );
    }

    #[test]
    fn debug_and_display_hide_the_secret() {
        let token = TokenSecret::generate();

        let shown = format!("{token:?} {token}");

        assert!(!shown.contains(token.expose_secret()));
        assert!(!shown.contains(&token.expose_secret()[20..]));
    }

    #[test]
    fn parse_rejects_wrong_shapes() {
        let good = TokenSecret::generate();
        let good = good.expose_secret();
        let non_ascii = format!("{}é", &good[..39]);

        for bad in [
            "",
            "sh_live_",
            &good[..39],
            &format!("{good}A"),
            &good.to_uppercase(),
            &good.replacen("sh_live_", "sh_test_", 1),
            &format!("{}-", &good[..39]),
            &non_ascii,
        ] {
            assert!(ParsedToken::parse(bad).is_none(), "accepted {bad:?}");
        }
    }
}
