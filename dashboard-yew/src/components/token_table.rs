//! The "Active Tokens" card: the table of the person's tokens with status,
//! dates and the revoke action, its pagination footer, and its loading,
//! empty and error states.

use chrono::{DateTime, Utc};
use yew::prelude::*;

use super::icon::{Icon, IconName};
use super::status::{EmptyState, ErrorPanel, LoadingPanel};
use crate::api::{ApiError, TokenPage, TokenStatus, TokenSummary};
use crate::hooks::Load;
use crate::time;

#[derive(Properties, PartialEq)]
pub(crate) struct TokenTableProps {
    pub(crate) list: Load<TokenPage>,
    /// Set when the latest background refresh failed; the rows shown are older.
    pub(crate) refresh_error: Option<ApiError>,
    /// From the policy; `None` while unknown or when switched off.
    pub(crate) inactivity_days: Option<u32>,
    pub(crate) now: DateTime<Utc>,
    pub(crate) onrevoke: Callback<TokenSummary>,
    pub(crate) onpage: Callback<u32>,
    pub(crate) oncreate: Callback<()>,
    pub(crate) onretry: Callback<()>,
}

#[component]
pub(crate) fn TokenTable(props: &TokenTableProps) -> Html {
    let body = match &props.list {
        Load::Loading => {
            html! { <LoadingPanel label="Loading your tokens…" testid="tokens-loading" /> }
        }
        Load::Failed(error) => html! {
            <ErrorPanel
                title="Your tokens could not be loaded"
                message={error.to_string()}
                onretry={props.onretry.clone()}
                testid="tokens-error"
            />
        },
        Load::Loaded(page) if page.total == 0 || (page.tokens.is_empty() && page.page == 1) => {
            html! {
                <EmptyState
                    icon={IconName::Key}
                    title="No API tokens yet"
                    message="Create your first token to let scripts, CI jobs and AI agents call Startup Hub on your behalf."
                    testid="tokens-empty"
                >
                    <button
                        type="button"
                        class="btn btn-primary"
                        data-testid="empty-generate-button"
                        onclick={props.oncreate.reform(|_: MouseEvent| ())}
                    >
                        <Icon name={IconName::Plus} />
                        { "Create your first token" }
                    </button>
                </EmptyState>
            }
        }
        Load::Loaded(page) => html! {
            <>
                { table(page, props) }
                { footer(page, &props.onpage) }
            </>
        },
    };

    html! {
        <section class="card tokens-card" aria-labelledby="tokens-title" data-testid="tokens-card">
            <header class="card-header">
                <h2 id="tokens-title" class="card-title" tabindex="-1">{ "Active Tokens" }</h2>
                if let Some(days) = props.inactivity_days {
                    <p class="card-note" data-testid="inactivity-note">
                        <Icon name={IconName::Info} />
                        { format!("Tokens expire after {days} days of inactivity") }
                    </p>
                }
            </header>
            if let Some(error) = &props.refresh_error {
                <p class="refresh-error" role="status" data-testid="tokens-refresh-error">
                    <Icon name={IconName::Alert} />
                    { format!("Showing the last list we received. Refreshing failed: {error}") }
                </p>
            }
            { body }
        </section>
    }
}

fn table(page: &TokenPage, props: &TokenTableProps) -> Html {
    html! {
        <div class="table-wrap">
            <table class="tokens-table" data-testid="tokens-table">
                <caption class="visually-hidden">
                    { "Your API tokens, newest first. Full token values cannot be retrieved after creation; only their prefixes are listed." }
                </caption>
                <thead>
                    <tr>
                        <th scope="col">{ "TOKEN NAME" }</th>
                        <th scope="col">{ "STATUS" }</th>
                        <th scope="col">{ "CREATED DATE" }</th>
                        <th scope="col">{ "LAST USED" }</th>
                        <th scope="col" class="col-actions">{ "ACTIONS" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for page.tokens.iter().map(|token| row(token, props)) }
                </tbody>
            </table>
        </div>
    }
}

fn row(token: &TokenSummary, props: &TokenTableProps) -> Html {
    let status = token.status;
    let onrevoke = {
        let token = token.clone();
        props.onrevoke.reform(move |_: MouseEvent| token.clone())
    };

    html! {
        <tr
            key={token.id.clone()}
            data-testid="token-row"
            data-token-id={token.id.clone()}
            data-status={status.label().to_lowercase()}
        >
            <td data-label="TOKEN NAME">
                <div class="token-cell">
                    <span class="token-icon"><Icon name={icon_for(token)} /></span>
                    <div class="token-text">
                        <p class="token-title">
                            <span class="token-name" data-testid="token-name">{ token.name.clone() }</span>
                            <span class="visually-hidden">{ ", permissions:" }</span>
                            { for token.permissions.iter().map(|permission| html! {
                                <span class="permission-chip">{ permission.clone() }</span>
                            }) }
                        </p>
                        <p class="token-description">
                            if let Some(description) = token.description.as_ref().filter(|d| !d.is_empty()) {
                                <span>{ description.clone() }</span>
                                <span class="token-separator" aria-hidden="true">{ "·" }</span>
                            }
                            <code class="token-prefix" data-testid="token-prefix">{ token.prefix.clone() }</code>
                        </p>
                    </div>
                </div>
            </td>
            <td data-label="STATUS">
                <span
                    class={classes!("badge", format!("badge-{}", status.label().to_lowercase()))}
                    data-testid="token-status"
                >
                    <span class="badge-dot" aria-hidden="true"></span>
                    { status.label() }
                </span>
            </td>
            <td data-label="CREATED DATE">
                <time
                    class="mono created-date"
                    datetime={token.created_at.clone()}
                    title={time::exact(&token.created_at)}
                    data-testid="token-created"
                >
                    { time::short_date(&token.created_at) }
                </time>
            </td>
            <td data-label="LAST USED" data-testid="token-last-used">
                { last_used(token, props.now) }
            </td>
            <td data-label="ACTIONS" class="col-actions">
                if status == TokenStatus::Revoked {
                    <span class="revoked-mark" title="Already revoked">
                        <Icon name={IconName::TrashX} />
                        <span class="visually-hidden">{ "Already revoked" }</span>
                    </span>
                } else {
                    <button
                        type="button"
                        class="icon-button btn-ghost-danger"
                        aria-label={format!("Revoke {}", token.name)}
                        title="Revoke token"
                        data-testid="revoke-button"
                        onclick={onrevoke}
                    >
                        <Icon name={IconName::Trash} />
                    </button>
                }
            </td>
        </tr>
    }
}

fn last_used(token: &TokenSummary, now: DateTime<Utc>) -> Html {
    let parsed = token
        .last_used_at
        .as_deref()
        .and_then(|at| Some((at, time::parse(at)?)));
    match parsed {
        Some((raw, at)) => html! {
            <time datetime={raw.to_owned()} title={time::exact(raw)}>{ time::relative(at, now) }</time>
        },
        None => html! { <span>{ "Never" }</span> },
    }
}

/// A picture for the row, guessed from the name: phones for apps, a bolt for
/// automations, a laptop for development, a key otherwise.
fn icon_for(token: &TokenSummary) -> IconName {
    let text = format!(
        "{} {}",
        token.name,
        token.description.as_deref().unwrap_or_default()
    )
    .to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| text.contains(word));
    if has(&["ios", "android", "mobile", "app"]) {
        IconName::Phone
    } else if has(&[
        "webhook",
        "zapier",
        "automation",
        "ci",
        "deploy",
        "bot",
        "agent",
    ]) {
        IconName::Bolt
    } else if has(&["local", "dev", "laptop", "test"]) {
        IconName::Laptop
    } else {
        IconName::Key
    }
}

fn footer(page: &TokenPage, onpage: &Callback<u32>) -> Html {
    let shown = page.tokens.len() as u64;
    let first = u64::from(page.page.saturating_sub(1)) * u64::from(page.per_page);
    let (from, to) = if shown == 0 {
        (0, 0)
    } else {
        (first + 1, first + shown)
    };
    let has_previous = page.page > 1;
    let has_next = to < page.total;
    let previous = onpage.reform({
        let current = page.page;
        move |_: MouseEvent| current.saturating_sub(1).max(1)
    });
    let next = onpage.reform({
        let current = page.page;
        move |_: MouseEvent| current + 1
    });

    html! {
        <footer class="table-footer" data-testid="pagination">
            <p class="table-summary" data-testid="pagination-summary">
                { "Showing " }<strong>{ from }</strong>{ " to " }<strong>{ to }</strong>
                { " of " }<strong>{ page.total }</strong>{ " results" }
            </p>
            <nav class="pager" aria-label="Token pages">
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Previous page"
                    disabled={!has_previous}
                    data-testid="page-previous"
                    onclick={previous}
                >
                    <Icon name={IconName::ChevronLeft} />
                </button>
                <button
                    type="button"
                    class="icon-button"
                    aria-label="Next page"
                    disabled={!has_next}
                    data-testid="page-next"
                    onclick={next}
                >
                    <Icon name={IconName::ChevronRight} />
                </button>
            </nav>
        </footer>
    }
}
