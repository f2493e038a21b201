//! The top bar: the menu button (narrow screens), breadcrumbs, the docs search
//! and the notifications bell.

use yew::prelude::*;
use yew_router::prelude::*;

use super::app_link::AppLink;
use super::icon::{Icon, IconName};
use super::notifications::Notifications;
use crate::route::{DocsQuery, Route};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Crumb {
    label: &'static str,
    to: Option<Route>,
}

impl Crumb {
    pub(crate) fn link(label: &'static str, to: Route) -> Self {
        Self {
            label,
            to: Some(to),
        }
    }

    pub(crate) fn text(label: &'static str) -> Self {
        Self { label, to: None }
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct TopBarProps {
    pub(crate) route: Route,
    pub(crate) crumbs: Vec<Crumb>,
    pub(crate) menu_open: bool,
    pub(crate) ontogglemenu: Callback<()>,
}

#[component]
pub(crate) fn TopBar(props: &TopBarProps) -> Html {
    let last = props.crumbs.len().saturating_sub(1);

    html! {
        <header class="topbar">
            <button
                type="button"
                class="icon-button menu-button"
                aria-label={if props.menu_open { "Close menu" } else { "Open menu" }}
                aria-expanded={props.menu_open.to_string()}
                aria-controls="sidebar"
                data-testid="menu-button"
                onclick={props.ontogglemenu.reform(|_: MouseEvent| ())}
            >
                <Icon name={IconName::Menu} />
            </button>
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <ol>
                    { for props.crumbs.iter().enumerate().map(|(index, crumb)| html! {
                        <li class="crumb">
                            if index > 0 {
                                <Icon name={IconName::ChevronRight} class="crumb-separator" />
                            }
                            {
                                match (&crumb.to, index == last) {
                                    (_, true) => html! {
                                        <span class="crumb-current" aria-current="page">{ crumb.label }</span>
                                    },
                                    (Some(to), false) => html! {
                                        <AppLink to={to.clone()} class="crumb-link">{ crumb.label }</AppLink>
                                    },
                                    (None, false) => html! { <span class="crumb-text">{ crumb.label }</span> },
                                }
                            }
                        </li>
                    }) }
                </ol>
            </nav>
            <div class="topbar-actions">
                <DocsSearch route={props.route.clone()} />
                <Notifications />
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct DocsSearchProps {
    route: Route,
}

/// Enter opens the docs page filtered by the text; on the docs page itself
/// the filter follows every keystroke.
#[component]
fn DocsSearch(props: &DocsSearchProps) -> Html {
    let navigator = use_navigator();
    let location = use_location();
    let on_docs = props.route == Route::Docs;
    let initial = location
        .filter(|_| on_docs)
        .and_then(|location| location.query::<DocsQuery>().ok())
        .map(|query| query.q)
        .unwrap_or_default();
    let text = use_state_eq(|| initial);
    {
        let text = text.clone();
        use_effect_with(on_docs, move |on_docs| {
            if !on_docs {
                text.set(String::new());
            }
        });
    }

    let oninput = {
        let text = text.clone();
        let navigator = navigator.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let value = input.value();
            if let (true, Some(navigator)) = (on_docs, &navigator) {
                let _ = navigator.replace_with_query(&Route::Docs, &DocsQuery { q: value.clone() });
            }
            text.set(value);
        })
    };
    let onsubmit = {
        let text = text.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Some(navigator) = &navigator {
                let query = DocsQuery {
                    q: text.trim().to_owned(),
                };
                if navigator.push_with_query(&Route::Docs, &query).is_err() {
                    navigator.push(&Route::Docs);
                }
            }
        })
    };

    html! {
        <form class="search" role="search" {onsubmit}>
            <label class="visually-hidden" for="docs-search">{ "Search docs" }</label>
            <Icon name={IconName::Search} class="search-icon" />
            <input
                id="docs-search"
                class="search-input"
                type="search"
                placeholder="Search docs…"
                autocomplete="off"
                data-testid="docs-search"
                value={(*text).clone()}
                {oninput}
            />
        </form>
    }
}
