//! A modal dialog: `role="dialog"`, `aria-modal`, titled by its heading. It
//! moves focus inside when it opens, keeps Tab within it, closes on Escape,
//! and gives focus back to whatever opened it.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use super::icon::{Icon, IconName};

const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
    select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";

#[derive(Properties, PartialEq)]
pub(crate) struct DialogProps {
    /// Prefix of the element ids inside, e.g. `generate` → `generate-title`.
    pub(crate) id: AttrValue,
    pub(crate) title: AttrValue,
    pub(crate) onclose: Callback<()>,
    #[prop_or_default]
    pub(crate) class: Classes,
    /// Where focus goes on close instead of back to the opener, as of the
    /// last render: for an action that removes the opener from the page.
    #[prop_or_default]
    pub(crate) return_focus: Option<AttrValue>,
    #[prop_or_default]
    pub(crate) children: Html,
}

#[component]
pub(crate) fn Dialog(props: &DialogProps) -> Html {
    let panel = use_node_ref();
    let return_focus = use_mut_ref(|| None::<AttrValue>);
    *return_focus.borrow_mut() = props.return_focus.clone();

    {
        let panel = panel.clone();
        use_effect_with((), move |_| {
            let opener = active_element();
            focus_initial(&panel);
            move || {
                let target = return_focus.borrow().clone();
                match (target, opener.filter(|opener| opener.is_connected())) {
                    (Some(id), _) => crate::dom::focus_by_id(&id),
                    (None, Some(opener)) => {
                        let _ = opener.focus();
                    }
                    (None, None) => crate::dom::focus_by_id("main"),
                }
            }
        });
    }

    let onkeydown = {
        let panel = panel.clone();
        let onclose = props.onclose.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.stop_propagation();
                onclose.emit(());
            }
            "Tab" => keep_tab_inside(&panel, &event),
            _ => {}
        })
    };
    let onclick_close = props.onclose.reform(|_: MouseEvent| ());
    let title_id = format!("{}-title", props.id);

    html! {
        <div class="dialog-backdrop">
            <div
                ref={panel}
                class={classes!("dialog", props.class.clone())}
                role="dialog"
                aria-modal="true"
                aria-labelledby={title_id.clone()}
                data-testid={format!("{}-dialog", props.id)}
                {onkeydown}
            >
                <header class="dialog-header">
                    <h2 id={title_id} class="dialog-title">{ props.title.clone() }</h2>
                    <button
                        type="button"
                        class="icon-button"
                        aria-label="Close dialog"
                        data-testid={format!("{}-close", props.id)}
                        onclick={onclick_close}
                    >
                        <Icon name={IconName::Close} />
                    </button>
                </header>
                { props.children.clone() }
            </div>
        </div>
    }
}

fn active_element() -> Option<HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<HtmlElement>()
        .ok()
}

/// Focus the element marked `data-autofocus`, else the first focusable one.
fn focus_initial(panel: &NodeRef) {
    let Some(panel) = panel.cast::<Element>() else {
        return;
    };
    let target = panel
        .query_selector("[data-autofocus]")
        .ok()
        .flatten()
        .or_else(|| panel.query_selector(FOCUSABLE).ok().flatten());
    if let Some(target) = target.and_then(|element| element.dyn_into::<HtmlElement>().ok()) {
        let _ = target.focus();
    }
}

fn keep_tab_inside(panel: &NodeRef, event: &KeyboardEvent) {
    let Some(panel) = panel.cast::<Element>() else {
        return;
    };
    let Ok(nodes) = panel.query_selector_all(FOCUSABLE) else {
        return;
    };
    let focusable: Vec<HtmlElement> = (0..nodes.length())
        .filter_map(|index| nodes.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };

    let active = active_element();
    let wrap_to = match (event.shift_key(), active) {
        (true, Some(active)) if &active == first => Some(last),
        (false, Some(active)) if &active == last => Some(first),
        (_, None) => Some(first),
        _ => None,
    };
    if let Some(target) = wrap_to {
        event.prevent_default();
        let _ = target.focus();
    }
}
