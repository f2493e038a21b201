//! Confirmation before revoking: names the token, says what will happen, and
//! starts on Cancel so a stray Enter revokes nothing.

use yew::prelude::*;

use super::dialog::Dialog;
use super::icon::{Icon, IconName};
use crate::api::{ApiError, TokenSummary};

#[derive(Properties, PartialEq)]
pub(crate) struct RevokeDialogProps {
    pub(crate) token: TokenSummary,
    pub(crate) revoking: bool,
    pub(crate) error: Option<ApiError>,
    pub(crate) onconfirm: Callback<String>,
    pub(crate) onclose: Callback<()>,
}

#[component]
pub(crate) fn RevokeDialog(props: &RevokeDialogProps) -> Html {
    let onconfirm = {
        let id = props.token.id.clone();
        let revoking = props.revoking;
        let onconfirm = props.onconfirm.clone();
        Callback::from(move |_: MouseEvent| {
            if !revoking {
                onconfirm.emit(id.clone());
            }
        })
    };
    let oncancel = props.onclose.reform(|_: MouseEvent| ());

    html! {
        // Once confirmed, the row loses its revoke button: focus goes to the
        // table heading instead of disappearing with it.
        <Dialog
            id="revoke"
            title="Revoke token?"
            class="dialog-small"
            return_focus={props.revoking.then_some(AttrValue::Static("tokens-title"))}
            onclose={props.onclose.clone()}
        >
            <div class="dialog-body">
                <p class="dialog-text">
                    { "Revoke " }
                    <strong class="token-ref" data-testid="revoke-token-name">{ props.token.name.clone() }</strong>
                    { "? Every script, CI job or agent using it is refused from the next request on. \
                       This cannot be undone." }
                </p>
                <p class="dialog-text">
                    { "Token " }<code class="mono">{ props.token.prefix.clone() }</code>
                </p>
                if let Some(error) = &props.error {
                    <p class="form-banner" role="alert" data-testid="revoke-error">
                        <Icon name={IconName::Alert} />
                        <span>{ error.to_string() }</span>
                    </p>
                }
            </div>
            <footer class="dialog-footer">
                <button
                    type="button"
                    class="btn btn-ghost"
                    data-autofocus="true"
                    data-testid="revoke-cancel"
                    onclick={oncancel}
                >
                    { "Cancel" }
                </button>
                <button
                    type="button"
                    class="btn btn-danger"
                    disabled={props.revoking}
                    aria-busy={props.revoking.then_some("true")}
                    data-testid="revoke-confirm"
                    onclick={onconfirm}
                >
                    <Icon name={IconName::Trash} />
                    { if props.revoking { "Revoking…" } else { "Revoke token" } }
                </button>
            </footer>
        </Dialog>
    }
}
