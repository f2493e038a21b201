//! Copy feedback for a button: "Copied!" for two seconds, or an honest
//! message when the browser would not copy at all.

use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::clipboard::{CopyOutcome, copy_text};

const FEEDBACK_MS: u32 = 2_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// `(state, copy)`: calling `copy` copies `text` and updates `state`.
#[hook]
pub(crate) fn use_copy(text: AttrValue) -> (CopyState, Callback<()>) {
    let state = use_state_eq(|| CopyState::Idle);
    // Held so the reset is cancelled if the button goes away first.
    let reset = use_mut_ref(|| None::<Timeout>);

    let copy = {
        let state = state.setter();
        Callback::from(move |()| {
            let state = state.clone();
            let reset = reset.clone();
            let text = text.clone();
            spawn_local(async move {
                let next = match copy_text(&text).await {
                    CopyOutcome::Copied => CopyState::Copied,
                    CopyOutcome::Failed => CopyState::Failed,
                };
                state.set(next);
                if next == CopyState::Copied {
                    let state = state.clone();
                    let timeout = Timeout::new(FEEDBACK_MS, move || state.set(CopyState::Idle));
                    *reset.borrow_mut() = Some(timeout);
                }
            });
        })
    };
    (*state, copy)
}
