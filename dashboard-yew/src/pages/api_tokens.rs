//! `/settings/api-tokens`: the header with the generate button, the one-time
//! success alert, the quickstart, and the token table with its dialogs.

mod state;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::{self, NewToken, Policy, TokenPage, TokenStatus, TokenSummary};
use crate::components::app_link::AppLink;
use crate::components::generate_dialog::GenerateDialog;
use crate::components::icon::{Icon, IconName};
use crate::components::quickstart::Quickstart;
use crate::components::revoke_dialog::RevokeDialog;
use crate::components::success_alert::SuccessAlert;
use crate::components::token_table::TokenTable;
use crate::hooks::{Load, SessionAction, use_load, use_session, use_tokens};
use crate::route::Route;
use crate::time;
use state::{Dialog, PageAction, PageState};

#[component]
pub(crate) fn ApiTokensPage() -> Html {
    let page = use_reducer_eq(PageState::default);
    let tokens = use_tokens();
    let (policy, _) = use_load(api::token_policy);
    let session = use_session();
    // Set synchronously on the first submit, so a double click that lands
    // before the next render still sends one request.
    let in_flight = use_mut_ref(|| false);

    let oncreate = {
        let page = page.dispatcher();
        let session = session.dispatcher();
        let reload = tokens.reload.clone();
        Callback::from(move |new_token: NewToken| {
            if in_flight.replace(true) {
                return;
            }
            page.dispatch(PageAction::CreateStarted);
            let (page, session, reload, in_flight) = (
                page.clone(),
                session.clone(),
                reload.clone(),
                in_flight.clone(),
            );
            spawn_local(async move {
                let result = api::create_token(&new_token).await;
                *in_flight.borrow_mut() = false;
                match result {
                    Ok(created) => {
                        page.dispatch(PageAction::Created(created));
                        reload.emit(());
                    }
                    Err(error) => {
                        // Someone else may have filled the last slot: refresh
                        // the count so the header explains the limit too.
                        if error.code() == Some("TOKEN_LIMIT_REACHED") {
                            reload.emit(());
                        }
                        session.dispatch(SessionAction::Failed(error.clone()));
                        page.dispatch(PageAction::CreateFailed(error));
                    }
                }
            });
        })
    };

    let onconfirmrevoke = {
        let page = page.dispatcher();
        let session = session.dispatcher();
        let reload = tokens.reload.clone();
        Callback::from(move |id: String| {
            page.dispatch(PageAction::RevokeStarted);
            let (page, session, reload) = (page.clone(), session.clone(), reload.clone());
            spawn_local(async move {
                match api::revoke_token(&id).await {
                    Ok(()) => page.dispatch(PageAction::Revoked),
                    Err(error) => {
                        session.dispatch(SessionAction::Failed(error.clone()));
                        page.dispatch(PageAction::RevokeFailed(error));
                    }
                }
                reload.emit(());
            });
        })
    };

    let dispatch = |action: fn() -> PageAction| {
        let page = page.dispatcher();
        Callback::from(move |()| page.dispatch(action()))
    };
    let onopengenerate = dispatch(|| PageAction::OpenGenerate);
    let onclosedialog = dispatch(|| PageAction::CloseDialog);
    let ondismiss = dispatch(|| PageAction::DismissAlert);
    let onrevoke = {
        let page = page.dispatcher();
        Callback::from(move |token: TokenSummary| page.dispatch(PageAction::OpenRevoke(token)))
    };

    let limit = active_limit(&tokens.state.list, &policy);
    let new_token = page
        .created
        .as_ref()
        .map(|created| AttrValue::from(created.token.expose().to_owned()));

    html! {
        <div class="page page-tokens">
            { header(limit, onopengenerate.clone()) }
            if let Some(created) = &page.created {
                <SuccessAlert created={created.clone()} {ondismiss} />
            }
            if let Some((name, prefix)) = &page.dismissed {
                <p class="hidden-note" role="status" data-testid="token-hidden-note">
                    <Icon name={IconName::Info} />
                    <span>
                        { "The full value of " }<strong>{ name.clone() }</strong>
                        { " is no longer shown and cannot be retrieved. Only its prefix " }
                        <code class="mono">{ prefix.clone() }</code>{ " is kept." }
                    </span>
                </p>
            }
            <Quickstart token={new_token} />
            <TokenTable
                list={tokens.state.list.clone()}
                refresh_error={tokens.state.refresh_error.clone()}
                inactivity_days={policy.loaded().and_then(|policy| policy.inactivity_days)}
                now={time::now()}
                {onrevoke}
                onpage={tokens.go_to.clone()}
                oncreate={onopengenerate}
                onretry={tokens.reload.clone()}
            />
            {
                match &page.dialog {
                    Dialog::None => html! {},
                    Dialog::Generate => html! {
                        <GenerateDialog
                            policy={policy.clone()}
                            submitting={page.creating}
                            error={page.create_error.clone()}
                            {oncreate}
                            onclose={onclosedialog}
                        />
                    },
                    Dialog::Revoke(token) => html! {
                        <RevokeDialog
                            token={(**token).clone()}
                            revoking={page.revoking}
                            error={page.revoke_error.clone()}
                            onconfirm={onconfirmrevoke}
                            onclose={onclosedialog}
                        />
                    },
                }
            }
        </div>
    }
}

/// `(active, max)` once both are known.
fn active_limit(list: &Load<TokenPage>, policy: &Load<Policy>) -> Option<(u32, u32)> {
    let page = list.loaded()?;
    let max = page
        .max_active
        .or_else(|| policy.loaded().map(|policy| policy.max_active))?;
    let active = page.active_count.unwrap_or_else(|| {
        let on_page = page
            .tokens
            .iter()
            .filter(|token| token.status == TokenStatus::Active);
        u32::try_from(on_page.count()).unwrap_or(u32::MAX)
    });
    Some((active, max))
}

fn header(limit: Option<(u32, u32)>, onopengenerate: Callback<()>) -> Html {
    let at_limit = matches!(limit, Some((active, max)) if active >= max);

    html! {
        <>
            <header class="page-header">
                <div class="page-heading">
                    <h1 class="page-title">{ "API Tokens" }</h1>
                    <p class="page-lead">
                        { "Manage access keys for the Startup Hub API. Treat these tokens like passwords and keep them secret." }
                    </p>
                </div>
                <div class="page-actions">
                    <AppLink to={Route::Docs} class="btn btn-outline btn-tall" testid="view-docs">
                        <Icon name={IconName::Book} />
                        <span>{ "View Docs" }</span>
                    </AppLink>
                    <button
                        type="button"
                        id="generate-token-button"
                        class="btn btn-primary btn-tall"
                        disabled={at_limit}
                        aria-describedby={at_limit.then_some("token-limit-note")}
                        data-testid="generate-token-button"
                        onclick={onopengenerate.reform(|_: MouseEvent| ())}
                    >
                        <Icon name={IconName::Plus} />
                        <span>{ "Generate New Token" }</span>
                    </button>
                </div>
            </header>
            if let (true, Some((active, max))) = (at_limit, limit) {
                <p id="token-limit-note" class="limit-note" role="status" data-testid="token-limit-note">
                    <Icon name={IconName::Alert} />
                    <span>
                        { format!("Maximum {max} tokens allowed. You have {active} active tokens; \
                            revoke one to generate another.") }
                    </span>
                </p>
            }
        </>
    }
}
