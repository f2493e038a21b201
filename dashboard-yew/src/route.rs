//! Client-side routes. The server answers every one of them with `index.html`.

use serde::{Deserialize, Serialize};
use yew_router::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, Routable)]
pub(crate) enum Route {
    #[at("/")]
    Home,
    #[at("/overview")]
    Overview,
    #[at("/projects")]
    Projects,
    #[at("/settings/api-tokens")]
    ApiTokens,
    #[at("/docs")]
    Docs,
    #[at("/login")]
    Login,
    #[not_found]
    #[at("/404")]
    NotFound,
}

/// `?q=` of the docs page, filled by the top bar's search field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DocsQuery {
    #[serde(default)]
    pub(crate) q: String,
}

/// `?next=` of the sign-in page: where to go once signed in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct LoginQuery {
    #[serde(default)]
    pub(crate) next: String,
}

impl LoginQuery {
    /// The page to open after signing in. Only this app's own paths are
    /// accepted, so a crafted link cannot send someone to another site.
    pub(crate) fn target(&self) -> Route {
        let path = self.next.split(['?', '#']).next().unwrap_or_default();
        if !path.starts_with('/') || path.starts_with("//") {
            return Route::ApiTokens;
        }
        match Route::recognize(path) {
            Some(Route::Login | Route::NotFound) | None => Route::ApiTokens,
            Some(route) => route,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(next: &str) -> Route {
        LoginQuery {
            next: next.to_owned(),
        }
        .target()
    }

    #[test]
    fn next_accepts_own_pages_only() {
        assert_eq!(target("/projects"), Route::Projects);
        assert_eq!(target("/docs?q=curl"), Route::Docs);
        assert_eq!(target("https://example.net/"), Route::ApiTokens);
        assert_eq!(target("//example.net"), Route::ApiTokens);
        assert_eq!(target(""), Route::ApiTokens);
        assert_eq!(target("/login"), Route::ApiTokens);
    }
}
