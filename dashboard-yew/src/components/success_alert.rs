//! The one and only showing of a new token's plaintext. It lives in this
//! component's props (memory) until dismissed; nothing writes it to storage
//! or the URL, so a reload also makes it unrecoverable.

use std::rc::Rc;

use yew::prelude::*;

use super::copy_button::CopyButton;
use super::icon::{Icon, IconName};
use crate::api::CreatedToken;

#[derive(Properties, PartialEq)]
pub(crate) struct SuccessAlertProps {
    pub(crate) created: Rc<CreatedToken>,
    pub(crate) ondismiss: Callback<()>,
}

#[component]
pub(crate) fn SuccessAlert(props: &SuccessAlertProps) -> Html {
    let token = AttrValue::from(props.created.token.expose().to_owned());
    let ondismiss = props.ondismiss.reform(|_: MouseEvent| ());

    html! {
        <section
            class="alert alert-success"
            aria-labelledby="token-success-title"
            data-testid="token-success-alert"
        >
            <span class="alert-icon"><Icon name={IconName::CheckCircle} /></span>
            <div class="alert-body">
                <h2 id="token-success-title" class="alert-title" role="status">
                    { "Token generated successfully!" }
                </h2>
                <p class="alert-text">
                    { "Make sure to copy your personal access token now. You won't be able to see it again!" }
                </p>
            </div>
            <div class="token-box">
                <code class="token-value" data-testid="new-token" aria-label="New token">
                    { token.clone() }
                </code>
                <CopyButton text={token} label="Copy token" testid="copy-token" />
            </div>
            <button
                type="button"
                class="icon-button alert-dismiss"
                aria-label="Dismiss. The token cannot be shown again."
                data-testid="dismiss-alert"
                onclick={ondismiss}
            >
                <Icon name={IconName::Close} />
            </button>
        </section>
    }
}
