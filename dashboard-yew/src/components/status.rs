//! Loading, error and empty states, so no request ever fails silently.

use yew::prelude::*;

use super::icon::{Icon, IconName};

#[derive(Properties, PartialEq)]
pub(crate) struct LoadingPanelProps {
    pub(crate) label: AttrValue,
    #[prop_or_default]
    pub(crate) full_page: bool,
    #[prop_or(AttrValue::Static("loading"))]
    pub(crate) testid: AttrValue,
}

#[component]
pub(crate) fn LoadingPanel(props: &LoadingPanelProps) -> Html {
    html! {
        <div
            class={classes!("state-panel", props.full_page.then_some("is-full-page"))}
            role="status"
            data-testid={props.testid.clone()}
        >
            <span class="spinner" aria-hidden="true"></span>
            <p class="state-text">{ props.label.clone() }</p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct ErrorPanelProps {
    pub(crate) title: AttrValue,
    pub(crate) message: AttrValue,
    pub(crate) onretry: Callback<()>,
    #[prop_or_default]
    pub(crate) full_page: bool,
    #[prop_or(AttrValue::Static("error-state"))]
    pub(crate) testid: AttrValue,
}

#[component]
pub(crate) fn ErrorPanel(props: &ErrorPanelProps) -> Html {
    let onclick = props.onretry.reform(|_: MouseEvent| ());

    html! {
        <div
            class={classes!("state-panel", "is-error", props.full_page.then_some("is-full-page"))}
            role="alert"
            data-testid={props.testid.clone()}
        >
            <Icon name={IconName::Alert} class="state-icon" />
            <p class="state-title">{ props.title.clone() }</p>
            <p class="state-text">{ props.message.clone() }</p>
            <button type="button" class="btn btn-outline" data-testid="retry-button" {onclick}>
                { "Try again" }
            </button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct EmptyStateProps {
    pub(crate) icon: IconName,
    pub(crate) title: AttrValue,
    pub(crate) message: AttrValue,
    #[prop_or_default]
    pub(crate) testid: Option<AttrValue>,
    /// The call to action, usually one button.
    #[prop_or_default]
    pub(crate) children: Html,
}

#[component]
pub(crate) fn EmptyState(props: &EmptyStateProps) -> Html {
    html! {
        <div class="state-panel is-empty" data-testid={props.testid.clone()}>
            <span class="state-badge"><Icon name={props.icon} /></span>
            <p class="state-title">{ props.title.clone() }</p>
            <p class="state-text">{ props.message.clone() }</p>
            { props.children.clone() }
        </div>
    }
}
