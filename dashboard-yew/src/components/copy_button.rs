//! A Copy button with visible feedback: "Copied!" and a check, or a plain
//! explanation when the browser refused both ways of copying.

use yew::prelude::*;

use super::icon::{Icon, IconName};
use crate::hooks::{CopyState, use_copy};

#[derive(Properties, PartialEq)]
pub(crate) struct CopyButtonProps {
    pub(crate) text: AttrValue,
    /// Accessible name, e.g. "Copy token".
    pub(crate) label: AttrValue,
    pub(crate) testid: AttrValue,
    #[prop_or_default]
    pub(crate) class: Classes,
}

#[component]
pub(crate) fn CopyButton(props: &CopyButtonProps) -> Html {
    let (state, copy) = use_copy(props.text.clone());
    let onclick = copy.reform(|_: MouseEvent| ());
    let (icon, text) = match state {
        CopyState::Copied => (IconName::Check, "Copied!"),
        CopyState::Idle | CopyState::Failed => (IconName::Copy, "Copy"),
    };

    html! {
        <span class={classes!("copy-control", props.class.clone())}>
            <button
                type="button"
                class={classes!("btn", "btn-copy", (state == CopyState::Copied).then_some("is-copied"))}
                aria-label={props.label.clone()}
                data-testid={props.testid.clone()}
                data-copy-state={copy_state_name(state)}
                {onclick}
            >
                <Icon name={icon} />
                <span aria-hidden="true">{ text }</span>
            </button>
            <span class="copy-feedback" role="status" data-testid={format!("{}-status", props.testid)}>
                {
                    match state {
                        CopyState::Idle => html! {},
                        CopyState::Copied => html! { <span class="visually-hidden">{ "Copied!" }</span> },
                        CopyState::Failed => html! {
                            <span class="copy-error">
                                { "Your browser blocked copying. Select the text and press Ctrl+C (⌘C on a Mac)." }
                            </span>
                        },
                    }
                }
            </span>
        </span>
    }
}

fn copy_state_name(state: CopyState) -> &'static str {
    match state {
        CopyState::Idle => "idle",
        CopyState::Copied => "copied",
        CopyState::Failed => "failed",
    }
}
