//! An anchor that navigates inside the app without a page load, while still
//! being a real link (middle click, "open in new tab", keyboard Enter).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

#[derive(Properties, PartialEq)]
pub(crate) struct AppLinkProps {
    pub(crate) to: Route,
    #[prop_or_default]
    pub(crate) class: Classes,
    /// Marks the link as the current page for assistive technology.
    #[prop_or_default]
    pub(crate) current: bool,
    #[prop_or_default]
    pub(crate) testid: Option<AttrValue>,
    #[prop_or_default]
    pub(crate) children: Html,
}

#[component]
pub(crate) fn AppLink(props: &AppLinkProps) -> Html {
    let navigator = use_navigator();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |event: MouseEvent| {
            let plain_click = event.button() == 0
                && !(event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key());
            if let (true, Some(navigator)) = (plain_click, &navigator) {
                event.prevent_default();
                navigator.push(&to);
            }
        })
    };

    html! {
        <a
            href={props.to.to_path()}
            class={props.class.clone()}
            aria-current={props.current.then_some("page")}
            data-testid={props.testid.clone()}
            {onclick}
        >
            { props.children.clone() }
        </a>
    }
}
