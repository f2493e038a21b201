//! The example's own tables. The token table belongs to `api-tokens-sea-orm`.

pub mod project;
pub mod user;
