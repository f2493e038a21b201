//! Small DOM helpers shared by components.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, HtmlElement};

/// Moves keyboard focus to the element with `id`, if it exists.
pub(crate) fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(id))
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Sets the tab's title, e.g. "API Tokens · Startup Hub".
pub(crate) fn set_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{page} · Startup Hub"));
    }
}

/// A listener on `document`, removed again when this value is dropped.
pub(crate) struct DocumentListener {
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl DocumentListener {
    pub(crate) fn new(kind: &'static str, handler: impl FnMut(Event) + 'static) -> Option<Self> {
        let document = web_sys::window()?.document()?;
        let callback = Closure::<dyn FnMut(Event)>::new(handler);
        document
            .add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref())
            .ok()?;
        Some(Self { kind, callback })
    }
}

impl Drop for DocumentListener {
    fn drop(&mut self) {
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            let _ = document.remove_event_listener_with_callback(
                self.kind,
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}
