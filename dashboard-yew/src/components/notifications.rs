//! The notifications bell: active tokens that expire within seven days. The
//! list is fetched when the bar mounts and again each time the panel opens.

use chrono::{DateTime, TimeDelta, Utc};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::Event;
use yew::prelude::*;

use super::app_link::AppLink;
use super::icon::{Icon, IconName};
use crate::api::{self, TokenPage, TokenStatus};
use crate::dom::DocumentListener;
use crate::hooks::{Load, SessionAction, use_session};
use crate::route::Route;
use crate::time;

const WINDOW_DAYS: i64 = 7;
/// Enough for every token a person can hold active, plus revoked history.
const FETCH_COUNT: u32 = 100;

#[derive(Clone, Debug, PartialEq)]
struct Expiring {
    name: String,
    expires_at: DateTime<Utc>,
}

fn expiring(page: &TokenPage, now: DateTime<Utc>) -> Vec<Expiring> {
    let horizon = now + TimeDelta::days(WINDOW_DAYS);
    let mut soon: Vec<Expiring> = page
        .tokens
        .iter()
        .filter(|token| token.status == TokenStatus::Active)
        .filter_map(|token| {
            let expires_at = time::parse(token.expires_at.as_deref()?)?;
            (expires_at > now && expires_at <= horizon).then(|| Expiring {
                name: token.name.clone(),
                expires_at,
            })
        })
        .collect();
    soon.sort_by_key(|item| item.expires_at);
    soon
}

#[component]
pub(crate) fn Notifications() -> Html {
    let open = use_state_eq(|| false);
    let list = use_state_eq(|| Load::<TokenPage>::Loading);
    let fetches = use_state_eq(|| 0_u32);
    let session = use_session();

    {
        let list = list.setter();
        let session = session.dispatcher();
        use_effect_with(*fetches, move |_| {
            spawn_local(async move {
                let result = api::list_tokens(1, FETCH_COUNT).await;
                if let Err(error) = &result {
                    session.dispatch(SessionAction::Failed(error.clone()));
                }
                list.set(result.into());
            });
        });
    }

    // Close on a click anywhere outside the bell and its panel.
    let container = use_node_ref();
    {
        let open = open.clone();
        let container = container.clone();
        use_effect_with(*open, move |is_open| {
            let listener = is_open
                .then(|| {
                    DocumentListener::new("mousedown", move |event: Event| {
                        let target = event
                            .target()
                            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let inside = container
                            .cast::<web_sys::Node>()
                            .is_some_and(|container| container.contains(target.as_ref()));
                        if !inside {
                            open.set(false);
                        }
                    })
                })
                .flatten();
            move || drop(listener)
        });
    }

    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            if !*open {
                fetches.set(*fetches + 1);
            }
            open.set(!*open);
        })
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" && *open {
                event.stop_propagation();
                open.set(false);
            }
        })
    };
    // Close when the keyboard moves focus elsewhere. A click on plain text
    // leaves no focus target at all; the mousedown listener handles clicks.
    let onfocusout = {
        let open = open.clone();
        Callback::from(move |event: FocusEvent| {
            let container = event
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let next = event
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            if let (Some(container), Some(next)) = (container, next)
                && !container.contains(Some(&next))
            {
                open.set(false);
            }
        })
    };

    let now = time::now();
    let soon = list
        .loaded()
        .map(|page| expiring(page, now))
        .unwrap_or_default();
    let label = match soon.len() {
        0 => "Notifications".to_owned(),
        1 => "Notifications: 1 token expires soon".to_owned(),
        count => format!("Notifications: {count} tokens expire soon"),
    };

    html! {
        <div ref={container} class="notifications" {onkeydown} {onfocusout}>
            <button
                type="button"
                class="icon-button bell"
                aria-label={label}
                aria-expanded={open.to_string()}
                aria-controls="notifications-panel"
                data-testid="notifications-button"
                onclick={ontoggle}
            >
                <Icon name={IconName::Bell} />
                if !soon.is_empty() {
                    <span class="bell-dot" aria-hidden="true"></span>
                }
            </button>
            if *open {
                <div
                    id="notifications-panel"
                    class="popover"
                    role="region"
                    aria-label="Notifications"
                    data-testid="notifications-panel"
                >
                    <p class="popover-title">{ "Expiring within 7 days" }</p>
                    { panel_body(&list, &soon, now) }
                </div>
            }
        </div>
    }
}

fn panel_body(list: &Load<TokenPage>, soon: &[Expiring], now: DateTime<Utc>) -> Html {
    match list {
        Load::Loading => html! { <p class="popover-text" role="status">{ "Loading…" }</p> },
        Load::Failed(error) => html! {
            <p class="popover-text is-error" role="alert">
                { format!("Notifications could not be loaded: {error}") }
            </p>
        },
        Load::Loaded(_) if soon.is_empty() => html! {
            <p class="popover-text" data-testid="notifications-empty">
                { "No tokens expire in the next 7 days." }
            </p>
        },
        Load::Loaded(_) => html! {
            <ul class="popover-list">
                { for soon.iter().map(|item| html! {
                    <li class="popover-item" data-testid="notification-item">
                        <Icon name={IconName::Alert} class="popover-icon" />
                        <span>
                            <strong>{ item.name.clone() }</strong>
                            { format!(" expires {}", time::until(item.expires_at, now)) }
                        </span>
                    </li>
                }) }
                <li class="popover-footer">
                    <AppLink to={Route::ApiTokens} class="popover-link">{ "Manage tokens" }</AppLink>
                </li>
            </ul>
        },
    }
}
