//! What the API Tokens page is doing besides listing: which dialog is open,
//! the create and revoke requests in flight, and the token just created.

use std::rc::Rc;

use yew::prelude::*;

use crate::api::{ApiError, CreatedToken, TokenSummary};

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) enum Dialog {
    #[default]
    None,
    Generate,
    Revoke(Box<TokenSummary>),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct PageState {
    pub(super) dialog: Dialog,
    pub(super) creating: bool,
    pub(super) create_error: Option<ApiError>,
    /// The plaintext, held in memory only while the success alert shows.
    pub(super) created: Option<Rc<CreatedToken>>,
    /// Name and prefix of the last token whose alert was dismissed.
    pub(super) dismissed: Option<(String, String)>,
    pub(super) revoking: bool,
    pub(super) revoke_error: Option<ApiError>,
}

#[derive(Debug)]
pub(super) enum PageAction {
    OpenGenerate,
    OpenRevoke(TokenSummary),
    CloseDialog,
    CreateStarted,
    Created(CreatedToken),
    CreateFailed(ApiError),
    DismissAlert,
    RevokeStarted,
    Revoked,
    RevokeFailed(ApiError),
}

impl Reducible for PageState {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PageAction::OpenGenerate => {
                next.dialog = Dialog::Generate;
                next.create_error = None;
            }
            PageAction::OpenRevoke(token) => {
                next.dialog = Dialog::Revoke(Box::new(token));
                next.revoke_error = None;
            }
            PageAction::CloseDialog => next.dialog = Dialog::None,
            PageAction::CreateStarted => {
                next.creating = true;
                next.create_error = None;
            }
            PageAction::Created(created) => {
                next.creating = false;
                next.dismissed = None;
                next.created = Some(Rc::new(created));
                if next.dialog == Dialog::Generate {
                    next.dialog = Dialog::None;
                }
            }
            PageAction::CreateFailed(error) => {
                next.creating = false;
                next.create_error = Some(error);
            }
            PageAction::DismissAlert => {
                next.dismissed = next
                    .created
                    .take()
                    .map(|created| (created.name.clone(), created.prefix.clone()));
            }
            PageAction::RevokeStarted => {
                next.revoking = true;
                next.revoke_error = None;
            }
            PageAction::Revoked => {
                next.revoking = false;
                next.dialog = Dialog::None;
            }
            PageAction::RevokeFailed(error) => {
                next.revoking = false;
                next.revoke_error = Some(error);
            }
        }
        Rc::new(next)
    }
}
