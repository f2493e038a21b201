//! Load one resource when a component mounts, with a retry callback. A 401
//! ends the session; any other failure is kept as state for the page to show.

use std::future::Future;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_session::{SessionAction, use_session};
use crate::api::ApiError;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Load<T> {
    Loading,
    Loaded(T),
    Failed(ApiError),
}

impl<T> From<Result<T, ApiError>> for Load<T> {
    fn from(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => Self::Loaded(value),
            Err(error) => Self::Failed(error),
        }
    }
}

impl<T> Load<T> {
    pub(crate) fn loaded(&self) -> Option<&T> {
        match self {
            Self::Loaded(value) => Some(value),
            _ => None,
        }
    }
}

/// `(state, retry)` for the value `load` produces.
#[hook]
pub(crate) fn use_load<T, F, Fut>(load: F) -> (Load<T>, Callback<()>)
where
    T: Clone + PartialEq + 'static,
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_state(|| Load::Loading);
    let attempt = use_state(|| 0_u32);
    let session = use_session();

    {
        let state = state.setter();
        let session = session.dispatcher();
        use_effect_with(*attempt, move |_| {
            spawn_local(async move {
                let result = load().await;
                if let Err(error) = &result {
                    session.dispatch(SessionAction::Failed(error.clone()));
                }
                state.set(result.into());
            });
        });
    }

    let retry = {
        let state = state.clone();
        Callback::from(move |()| {
            state.set(Load::Loading);
            attempt.set(*attempt + 1);
        })
    };
    ((*state).clone(), retry)
}
