//! Copying text: the asynchronous Clipboard API first, then the old
//! `execCommand("copy")` on a hidden textarea for browsers or contexts (plain
//! HTTP on another host) where `navigator.clipboard` is missing or refused.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Clipboard, HtmlDocument, HtmlTextAreaElement};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CopyOutcome {
    Copied,
    /// Neither way worked; the person has to select and copy by hand.
    Failed,
}

pub(crate) async fn copy_text(text: &str) -> CopyOutcome {
    if with_clipboard_api(text).await || with_exec_command(text) {
        CopyOutcome::Copied
    } else {
        CopyOutcome::Failed
    }
}

async fn with_clipboard_api(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    // `navigator.clipboard` is undefined outside secure contexts; read it
    // reflectively so its absence is a value, not an exception.
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard"));
    let Ok(clipboard) = clipboard else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }

    let clipboard: Clipboard = clipboard.unchecked_into();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

fn with_exec_command(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return false;
    };
    let Some(body) = document.body() else {
        return false;
    };
    let Ok(textarea) = document.create_element("textarea") else {
        return false;
    };
    let Ok(textarea) = textarea.dyn_into::<HtmlTextAreaElement>() else {
        return false;
    };

    textarea.set_value(text);
    textarea.set_read_only(true);
    textarea.set_class_name("clipboard-helper");
    let _ = textarea.set_attribute("aria-hidden", "true");
    if body.append_child(&textarea).is_err() {
        return false;
    }

    textarea.select();
    let copied = document
        .dyn_into::<HtmlDocument>()
        .ok()
        .and_then(|document| document.exec_command("copy").ok())
        .unwrap_or(false);
    textarea.remove();
    copied
}
