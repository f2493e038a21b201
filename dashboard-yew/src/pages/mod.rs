//! One component per route.

mod api_tokens;
mod docs;
mod login;
mod not_found;
mod overview;
mod projects;

pub(crate) use api_tokens::ApiTokensPage;
pub(crate) use docs::DocsPage;
pub(crate) use login::LoginPage;
pub(crate) use not_found::NotFoundPage;
pub(crate) use overview::OverviewPage;
pub(crate) use projects::ProjectsPage;
