//! Who is signed in. The app checks `/auth/me` once at start; any page that
//! meets a 401 signs the person out here, which sends them to `/login`.

use std::rc::Rc;

use yew::prelude::*;

use crate::api::{ApiError, User};

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Session {
    Checking,
    SignedIn(User),
    SignedOut,
    /// `/auth/me` got no usable answer, so we cannot tell either way.
    Unreachable(ApiError),
}

#[derive(Debug)]
pub(crate) enum SessionAction {
    Check,
    SignedIn(User),
    SignedOut,
    /// Reports the outcome of a call: a 401 signs out, anything else is ignored.
    Failed(ApiError),
    Unreachable(ApiError),
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let next = match action {
            SessionAction::Check => Session::Checking,
            SessionAction::SignedIn(user) => Session::SignedIn(user),
            SessionAction::SignedOut => Session::SignedOut,
            SessionAction::Failed(error) if error.is_unauthorized() => Session::SignedOut,
            SessionAction::Failed(_) => return self,
            SessionAction::Unreachable(error) => Session::Unreachable(error),
        };
        Rc::new(next)
    }
}

pub(crate) type SessionHandle = UseReducerHandle<Session>;

impl Session {
    pub(crate) fn user(&self) -> Option<&User> {
        match self {
            Self::SignedIn(user) => Some(user),
            _ => None,
        }
    }
}

/// The session the app provides at its root.
#[hook]
pub(crate) fn use_session() -> SessionHandle {
    use_context::<SessionHandle>().expect("the app renders every page inside its session provider")
}
