//! The root: the session, the router, and the guard that sends signed-out
//! people to `/login` and everyone else into the dashboard shell.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api;
use crate::components::shell::Shell;
use crate::components::status::{ErrorPanel, LoadingPanel};
use crate::hooks::{Session, SessionAction, SessionHandle, use_session};
use crate::pages::{ApiTokensPage, DocsPage, LoginPage, NotFoundPage, OverviewPage, ProjectsPage};
use crate::route::{LoginQuery, Route};

#[component]
pub(crate) fn App() -> Html {
    let session = use_reducer_eq(|| Session::Checking);

    {
        let session = session.clone();
        use_effect_with(matches!(*session, Session::Checking), move |checking| {
            if *checking {
                check_session(&session);
            }
        });
    }

    html! {
        <ContextProvider<SessionHandle> context={session}>
            <BrowserRouter>
                <Switch<Route> render={switch} />
            </BrowserRouter>
        </ContextProvider<SessionHandle>>
    }
}

fn check_session(session: &SessionHandle) {
    let session = session.dispatcher();
    spawn_local(async move {
        let action = match api::me().await {
            Ok(user) => SessionAction::SignedIn(user),
            Err(error) if error.is_unauthorized() => SessionAction::SignedOut,
            Err(error) => SessionAction::Unreachable(error),
        };
        session.dispatch(action);
    });
}

fn switch(route: Route) -> Html {
    match route {
        Route::Login => html! { <LoginPage /> },
        route => html! { <Guarded {route} /> },
    }
}

#[derive(Properties, PartialEq)]
struct GuardedProps {
    route: Route,
}

/// A dashboard page, shown only to a signed-in person.
#[component]
fn Guarded(props: &GuardedProps) -> Html {
    let session = use_session();
    let location = use_location();

    match &*session {
        Session::Checking => {
            html! { <LoadingPanel label="Checking your session…" full_page=true /> }
        }
        Session::SignedOut => {
            let next = location
                .map(|location| location.path().to_owned())
                .unwrap_or_default();
            html! { <ToLogin {next} /> }
        }
        Session::Unreachable(error) => {
            let onretry = {
                let session = session.dispatcher();
                Callback::from(move |()| session.dispatch(SessionAction::Check))
            };
            html! {
                <ErrorPanel
                    title="Can't reach Startup Hub"
                    message={error.to_string()}
                    {onretry}
                    full_page=true
                />
            }
        }
        Session::SignedIn(_) => html! {
            <Shell route={props.route.clone()}>{ page(&props.route) }</Shell>
        },
    }
}

#[derive(Properties, PartialEq)]
struct ToLoginProps {
    next: String,
}

/// Replaces the current entry with `/login?next=…`, so Back does not bounce.
#[component]
fn ToLogin(props: &ToLoginProps) -> Html {
    let navigator = use_navigator();
    let next = props.next.clone();

    use_effect_with(next, move |next| {
        if let Some(navigator) = navigator {
            let query = LoginQuery { next: next.clone() };
            if navigator.replace_with_query(&Route::Login, &query).is_err() {
                navigator.replace(&Route::Login);
            }
        }
    });
    Html::default()
}

fn page(route: &Route) -> Html {
    match route {
        Route::Home | Route::Overview => html! { <OverviewPage /> },
        Route::Projects => html! { <ProjectsPage /> },
        Route::ApiTokens => html! { <ApiTokensPage /> },
        Route::Docs => html! { <DocsPage /> },
        Route::Login | Route::NotFound => html! { <NotFoundPage /> },
    }
}
