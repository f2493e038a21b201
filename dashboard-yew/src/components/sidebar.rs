//! The 256 px sidebar: brand, the WORKSPACE and CONFIGURATION groups, Support,
//! and the signed-in person's card with sign-out. Items that are not part of
//! this example are visibly disabled and say so on hover and to screen readers.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::app_link::AppLink;
use super::icon::{Icon, IconName};
use crate::api::{self, User};
use crate::hooks::{SessionAction, use_session};
use crate::route::Route;

const NOT_IN_EXAMPLE: &str = "Not part of this example";

#[derive(Properties, PartialEq)]
pub(crate) struct SidebarProps {
    pub(crate) current: Route,
    /// Open as a drawer (narrow screens only).
    pub(crate) open: bool,
    pub(crate) onclose: Callback<()>,
}

#[component]
pub(crate) fn Sidebar(props: &SidebarProps) -> Html {
    let session = use_session();
    let item = |to: Route, icon: IconName, label: &'static str, testid: &'static str| {
        let current = match &props.current {
            Route::Home => to == Route::Overview,
            route => *route == to,
        };
        html! {
            <li>
                <AppLink
                    {to}
                    class={classes!("nav-item", current.then_some("is-active"))}
                    {current}
                    testid={testid}
                >
                    <Icon name={icon} />
                    <span>{ label }</span>
                </AppLink>
            </li>
        }
    };

    html! {
        <aside
            id="sidebar"
            class={classes!("sidebar", props.open.then_some("is-open"))}
            aria-label="Sidebar"
        >
            <div class="sidebar-brand">
                <span class="brand-logo" aria-hidden="true"><Icon name={IconName::Rocket} /></span>
                <span class="brand-name">{ "Startup Hub" }</span>
                <button
                    type="button"
                    class="icon-button drawer-close"
                    aria-label="Close menu"
                    onclick={props.onclose.reform(|_: MouseEvent| ())}
                >
                    <Icon name={IconName::Close} />
                </button>
            </div>
            <nav class="sidebar-nav" aria-label="Main">
                <p class="nav-group" id="nav-workspace">{ "WORKSPACE" }</p>
                <ul class="nav-list" aria-labelledby="nav-workspace">
                    { item(Route::Overview, IconName::Grid, "Overview", "nav-overview") }
                    { item(Route::Projects, IconName::Folder, "Projects", "nav-projects") }
                    { disabled(IconName::Users, "Investors", "nav-investors") }
                </ul>
                <p class="nav-group" id="nav-configuration">{ "CONFIGURATION" }</p>
                <ul class="nav-list" aria-labelledby="nav-configuration">
                    { disabled(IconName::Gear, "General", "nav-general") }
                    { disabled(IconName::Card, "Billing", "nav-billing") }
                    { item(Route::ApiTokens, IconName::Key, "API Tokens", "nav-api-tokens") }
                    { disabled(IconName::Webhook, "Webhooks", "nav-webhooks") }
                </ul>
            </nav>
            <div class="sidebar-footer">
                <ul class="nav-list">
                    { item(Route::Docs, IconName::Help, "Support", "nav-support") }
                </ul>
                if let Some(user) = session.user() {
                    <UserCard user={user.clone()} />
                }
            </div>
        </aside>
    }
}

fn disabled(icon: IconName, label: &'static str, testid: &'static str) -> Html {
    html! {
        <li>
            <span class="nav-item is-disabled" aria-disabled="true" data-testid={testid}>
                <Icon name={icon} />
                <span>{ label }</span>
                <span class="visually-hidden">{ format!(" ({NOT_IN_EXAMPLE})") }</span>
                <span class="nav-tooltip" aria-hidden="true">{ NOT_IN_EXAMPLE }</span>
            </span>
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct UserCardProps {
    user: User,
}

#[component]
fn UserCard(props: &UserCardProps) -> Html {
    let session = use_session();
    let signing_out = use_state_eq(|| false);
    let error = use_state_eq(|| None::<String>);

    let onsignout = {
        let session = session.dispatcher();
        let signing_out = signing_out.clone();
        let error = error.clone();
        Callback::from(move |_: MouseEvent| {
            let session = session.clone();
            let signing_out = signing_out.clone();
            let error = error.clone();
            signing_out.set(true);
            spawn_local(async move {
                match api::logout().await {
                    Ok(()) => session.dispatch(SessionAction::SignedOut),
                    Err(failure) if failure.is_unauthorized() => {
                        session.dispatch(SessionAction::SignedOut);
                    }
                    Err(failure) => {
                        error.set(Some(format!("Sign-out failed: {failure}")));
                        signing_out.set(false);
                    }
                }
            });
        })
    };

    html! {
        <div class="user-card" data-testid="user-card">
            <span class="avatar" aria-hidden="true">{ initials(&props.user.name) }</span>
            <div class="user-text">
                <p class="user-name" data-testid="user-name">{ props.user.name.clone() }</p>
                <p class="user-email" data-testid="user-email">{ props.user.email.clone() }</p>
            </div>
            <button
                type="button"
                class="icon-button"
                aria-label="Sign out"
                title="Sign out"
                disabled={*signing_out}
                data-testid="sign-out"
                onclick={onsignout}
            >
                <Icon name={IconName::LogOut} />
            </button>
            if let Some(message) = &*error {
                <p class="user-error" role="alert">{ message.clone() }</p>
            }
        </div>
    }
}

fn initials(name: &str) -> String {
    let letters: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_owned()
    } else {
        letters
    }
}

#[cfg(test)]
mod tests {
    use super::initials;

    #[test]
    fn initials_take_two_words() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("ada"), "A");
        assert_eq!(initials("  "), "?");
    }
}
