//! Permissions: the host's vocabulary and the set a token carries.
//!
//! A host names the permissions its API understands (Startup Hub uses `read`, `create`,
//! `update` and `delete`); each token carries a non-empty subset. Routes ask for one
//! permission with [`RequirePermissionLayer`](crate::RequirePermissionLayer).

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The set of permissions a token carries, kept sorted and free of duplicates.
///
/// Cloning is cheap (the set is shared), so every authenticated request can carry one.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct PermissionSet(Arc<BTreeSet<String>>);

impl PermissionSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the set holds `permission`.
    pub fn contains(&self, permission: &str) -> bool {
        self.0.contains(permission)
    }

    /// Adds a permission; returns whether it was new.
    pub fn insert(&mut self, permission: impl Into<String>) -> bool {
        Arc::make_mut(&mut self.0).insert(permission.into())
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of permissions in the set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The permissions in sorted order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// The permissions joined by single spaces, the way OAuth writes a scope. Stores use
    /// this form in a text column.
    pub fn to_scope_string(&self) -> String {
        self.iter().collect::<Vec<_>>().join(" ")
    }

    /// Parses the space-separated form written by [`PermissionSet::to_scope_string`].
    pub fn from_scope_string(scope: &str) -> Self {
        scope.split_ascii_whitespace().map(str::to_owned).collect()
    }
}

impl fmt::Debug for PermissionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl<S: Into<String>> FromIterator<S> for PermissionSet {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        Self(Arc::new(iter.into_iter().map(Into::into).collect()))
    }
}

impl Serialize for PermissionSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PermissionSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeSet::<String>::deserialize(deserializer).map(|set| Self(Arc::new(set)))
    }
}

impl<'a> IntoIterator for &'a PermissionSet {
    type Item = &'a String;
    type IntoIter = std::collections::btree_set::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Whether `name` may be used as a permission name: 1–64 characters of lower-case ASCII
/// letters, digits, `_`, `-`, `.` or `:`.
pub(crate) fn is_valid_permission_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_-.:".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_string_round_trips_sorted() {
        let set: PermissionSet = ["update", "read", "read"].into_iter().collect();

        let scope = set.to_scope_string();

        assert_eq!(scope, "read update");
        assert_eq!(PermissionSet::from_scope_string(&scope), set);
    }

    #[test]
    fn permission_names_are_restricted() {
        assert!(is_valid_permission_name("projects:write"));
        assert!(!is_valid_permission_name(""));
        assert!(!is_valid_permission_name("Read"));
        assert!(!is_valid_permission_name("read write"));
    }
}
