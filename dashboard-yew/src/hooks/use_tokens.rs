//! The token list of the API Tokens page: one page at a time, polled every few
//! seconds while the tab is visible so "Last used" moves without a reload.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use web_sys::VisibilityState;
use yew::prelude::*;

use super::use_load::Load;
use super::use_session::{SessionAction, use_session};
use crate::api::{self, ApiError, TokenPage};

const PER_PAGE: u32 = 20;
const POLL_MS: u32 = 5_000;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TokenList {
    pub(crate) page: u32,
    pub(crate) list: Load<TokenPage>,
    /// A poll failed while older data is on screen: shown as a notice.
    pub(crate) refresh_error: Option<ApiError>,
    /// Bumped to fetch again right now (after a create or a revoke).
    reloads: u32,
    /// Sequence number of the newest answer applied; older answers that arrive
    /// late are dropped so a slow poll never undoes a revoke on screen.
    applied: u64,
}

#[derive(Debug)]
pub(crate) enum ListAction {
    GoTo(u32),
    Reload,
    Fetched {
        seq: u64,
        page: u32,
        result: Result<TokenPage, ApiError>,
    },
}

impl Default for TokenList {
    fn default() -> Self {
        Self {
            page: 1,
            list: Load::Loading,
            refresh_error: None,
            reloads: 0,
            applied: 0,
        }
    }
}

impl Reducible for TokenList {
    type Action = ListAction;

    fn reduce(self: Rc<Self>, action: ListAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            ListAction::GoTo(page) if page != self.page => {
                next.page = page.max(1);
                next.list = Load::Loading;
                next.refresh_error = None;
            }
            ListAction::GoTo(_) => return self,
            ListAction::Reload => next.reloads += 1,
            ListAction::Fetched { seq, page, result } => {
                if page != self.page || seq < self.applied {
                    return self;
                }
                next.applied = seq;
                match (result, &self.list) {
                    (Ok(data), _) => {
                        next.list = Load::Loaded(data);
                        next.refresh_error = None;
                    }
                    (Err(error), Load::Loaded(_)) => next.refresh_error = Some(error),
                    (Err(error), _) => next.list = Load::Failed(error),
                }
            }
        }
        Rc::new(next)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TokensHandle {
    pub(crate) state: UseReducerHandle<TokenList>,
    pub(crate) reload: Callback<()>,
    pub(crate) go_to: Callback<u32>,
}

#[hook]
pub(crate) fn use_tokens() -> TokensHandle {
    let state = use_reducer_eq(TokenList::default);
    let session = use_session();
    let seq = use_mut_ref(|| 0_u64);

    let fetch = {
        let state = state.dispatcher();
        let session = session.dispatcher();
        move |page: u32| {
            let state = state.clone();
            let session = session.clone();
            let this_seq = {
                let mut seq = seq.borrow_mut();
                *seq += 1;
                *seq
            };
            spawn_local(async move {
                let result = api::list_tokens(page, PER_PAGE).await;
                if let Err(error) = &result {
                    session.dispatch(SessionAction::Failed(error.clone()));
                }
                state.dispatch(ListAction::Fetched {
                    seq: this_seq,
                    page,
                    result,
                });
            });
        }
    };

    use_effect_with((state.page, state.reloads), move |&(page, _)| {
        fetch(page);
        let poll = Interval::new(POLL_MS, move || {
            if page_is_visible() {
                fetch(page);
            }
        });
        move || drop(poll)
    });

    let reload = {
        let state = state.dispatcher();
        Callback::from(move |()| state.dispatch(ListAction::Reload))
    };
    let go_to = {
        let state = state.dispatcher();
        Callback::from(move |page| state.dispatch(ListAction::GoTo(page)))
    };
    TokensHandle {
        state,
        reload,
        go_to,
    }
}

fn page_is_visible() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .is_none_or(|document| document.visibility_state() == VisibilityState::Visible)
}
