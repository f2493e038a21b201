//! The identity a verified token gives a request.

use uuid::Uuid;

use crate::permission::PermissionSet;

/// Put in the request extensions by [`ApiTokenLayer`](crate::ApiTokenLayer) once a token
/// is verified. Holds no secret material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatedToken {
    /// The token's id.
    pub id: Uuid,
    /// The owner the host gave the token to.
    pub owner_id: String,
    /// The token's name.
    pub name: String,
    /// What the token may do.
    pub permissions: PermissionSet,
}

impl AuthenticatedToken {
    /// Whether the token carries `permission`.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.permissions.contains(permission)
    }
}
