//! The rules a new token's fields must follow.

use chrono::{DateTime, Utc};

use super::{ManagerConfig, NewToken};
use crate::error::Error;
use crate::permission::PermissionSet;

/// Longest name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 100;

/// Longest description, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 100;

pub(super) struct ValidToken {
    pub(super) name: String,
    pub(super) description: Option<String>,
    pub(super) permissions: PermissionSet,
    pub(super) expires_at: Option<DateTime<Utc>>,
}

pub(super) fn new_token(
    config: &ManagerConfig,
    new: NewToken,
    now: DateTime<Utc>,
) -> Result<ValidToken, Error> {
    Ok(ValidToken {
        name: name(&new.name)?,
        description: description(new.description.as_deref())?,
        permissions: permissions(config, new.permissions)?,
        expires_at: expires_at(config, new.expires_at, now)?,
    })
}

fn name(raw: &str) -> Result<String, Error> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Error::validation("name", "Token name is required"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::validation(
            "name",
            "Token name must be at most 100 characters",
        ));
    }
    if name.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(Error::validation(
            "name",
            "Token name must not contain control characters",
        ));
    }
    if !name.chars().any(is_visible) {
        return Err(Error::validation("name", "Token name is required"));
    }
    Ok(name.to_owned())
}

/// Bidirectional embeddings, overrides and isolates can make a name read differently from
/// what it holds, so names refuse them like control characters.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` shows as something: not white space and not a character that renders as
/// nothing on its own, such as a zero-width space, a soft hyphen, a variation selector, a
/// blank filler or a tag character (joiners, selectors and tags inside emoji sequences
/// are fine next to visible characters).
fn is_visible(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{206F}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFF8}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0000}'..='\u{E0FFF}'
        )
}

fn description(raw: Option<&str>) -> Result<Option<String>, Error> {
    let Some(description) = raw.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Error::validation(
            "description",
            "Description must be at most 100 characters",
        ));
    }
    if description
        .chars()
        .any(|c| c.is_control() || is_bidi_control(c))
    {
        return Err(Error::validation(
            "description",
            "Description must not contain control characters",
        ));
    }
    // A description that shows nothing is no description, as a blank one is.
    if !description.chars().any(is_visible) {
        return Ok(None);
    }
    Ok(Some(description.to_owned()))
}

fn permissions(config: &ManagerConfig, raw: Option<Vec<String>>) -> Result<PermissionSet, Error> {
    let Some(requested) = raw else {
        return Ok(config.default_permissions.clone());
    };
    if requested.is_empty() {
        return Err(Error::validation(
            "permissions",
            "At least one permission is required",
        ));
    }
    if let Some(unknown) = requested.iter().find(|p| !config.permissions.contains(p)) {
        return Err(Error::validation(
            "permissions",
            format!("Unknown permission: {}", shortened(unknown)),
        ));
    }
    Ok(requested.into_iter().collect())
}

/// Echoes at most the first 40 characters of what a caller sent, so an error message
/// stays short whatever the input's length.
fn shortened(raw: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 40;
    match raw.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &raw[..end]).into(),
        None => raw.into(),
    }
}

/// Refuses an expiry that is not after `now`. Checked again once the new token is
/// hashed: bcrypt takes a noticeable time, and an expiry barely in the future when the
/// request arrived may have passed by then.
pub(super) fn still_in_future(
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    match expires_at {
        Some(at) if at <= now => Err(Error::validation(
            "expires_at",
            "Expiry date must be in the future",
        )),
        _ => Ok(()),
    }
}

fn expires_at(
    config: &ManagerConfig,
    requested: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let latest = config
        .max_lifetime
        .and_then(|lifetime| chrono::Duration::from_std(lifetime).ok())
        .and_then(|lifetime| now.checked_add_signed(lifetime));

    still_in_future(requested, now)?;
    match (requested, latest) {
        (Some(at), Some(latest)) if at > latest => Err(Error::validation(
            "expires_at",
            format!("Expiry date must be no later than {}", latest.to_rfc3339()),
        )),
        (Some(at), _) => Ok(Some(at)),
        (None, latest) => Ok(latest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(result: Result<impl Sized, Error>) -> String {
        match result {
            Err(Error::Validation { message, .. }) => message,
            Err(other) => panic!("expected a validation error, got {other:?}"),
            Ok(_) => panic!("expected a validation error"),
        }
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(name("  deploy-bot ").ok().as_deref(), Some("deploy-bot"));
        assert_eq!(message(name(" \t ")), "Token name is required");
        assert_eq!(
            message(name(&"x".repeat(101))),
            "Token name must be at most 100 characters"
        );
        assert!(name(&"é".repeat(100)).is_ok());
        assert_eq!(
            message(name("a\nb")),
            "Token name must not contain control characters"
        );
        assert_eq!(
            message(name("a\0b")),
            "Token name must not contain control characters"
        );
        assert_eq!(
            name("🔑 prod — déploiement").ok().as_deref(),
            Some("🔑 prod — déploiement")
        );
        assert_eq!(message(name("\u{200B}")), "Token name is required");
        assert_eq!(
            message(name("abc\u{202E}fed")),
            "Token name must not contain control characters"
        );
        assert!(name("👨\u{200D}👩\u{200D}👧 family").is_ok());
        for blank in [
            "\u{E0041}\u{E0042}",
            "\u{00AD}",
            "\u{FE0F}\u{FE0F}",
            "\u{3164}",
            "\u{2800}",
        ] {
            assert_eq!(message(name(blank)), "Token name is required", "{blank:?}");
        }
        let england = "🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
        assert_eq!(name(england).ok().as_deref(), Some(england));
    }

    #[test]
    fn descriptions_are_optional_and_bounded() {
        assert_eq!(description(Some("  ")).ok(), Some(None));
        assert_eq!(
            description(Some("Production")).ok(),
            Some(Some("Production".into()))
        );
        assert!(description(Some(&"d".repeat(101))).is_err());
    }

    #[test]
    fn descriptions_refuse_what_names_refuse() {
        assert_eq!(
            message(description(Some("x\u{202E}y"))),
            "Description must not contain control characters"
        );
        assert_eq!(description(Some("\u{200B}\u{FE0F}")).ok(), Some(None));
        assert_eq!(
            description(Some("🚀 prod")).ok(),
            Some(Some("🚀 prod".into()))
        );
    }

    #[test]
    fn an_unknown_permission_is_echoed_briefly() {
        let manager = crate::TokenManager::builder(crate::MemoryTokenStore::new())
            .build()
            .expect("a manager");
        let config = manager.config();
        let long = "p".repeat(100_000);
        let refused = message(permissions(config, Some(vec![long])));
        assert_eq!(refused, format!("Unknown permission: {}…", "p".repeat(40)));
        let refused = message(permissions(config, Some(vec!["déployer".into()])));
        assert_eq!(refused, "Unknown permission: déployer");
    }
}
