//! State that outlives one render: the session, remote data, the token list
//! and its polling, and copy-to-clipboard feedback.

mod use_copy;
mod use_load;
mod use_session;
mod use_tokens;

pub(crate) use use_copy::{CopyState, use_copy};
pub(crate) use use_load::{Load, use_load};
pub(crate) use use_session::{Session, SessionAction, SessionHandle, use_session};
pub(crate) use use_tokens::use_tokens;
