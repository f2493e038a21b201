//! `/` and `/overview`: a short summary of the account with the ways onward.

use yew::prelude::*;

use crate::api::{self, Project, TokenPage, TokenStatus};
use crate::components::app_link::AppLink;
use crate::components::icon::{Icon, IconName};
use crate::hooks::{Load, use_load, use_session};
use crate::route::Route;
use crate::time;

#[component]
pub(crate) fn OverviewPage() -> Html {
    let session = use_session();
    let (tokens, retry_tokens) = use_load(|| api::list_tokens(1, 100));
    let (projects, retry_projects) = use_load(api::projects);
    let first_name = session
        .user()
        .and_then(|user| user.name.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();

    html! {
        <div class="page page-overview">
            <header class="page-header">
                <div class="page-heading">
                    <h1 class="page-title">{ format!("Welcome back, {first_name}") }</h1>
                    <p class="page-lead">
                        { "Your projects and the tokens that let scripts and AI agents work on them." }
                    </p>
                </div>
            </header>
            <div class="stat-grid">
                { stat(
                    "Active tokens",
                    tokens_value(&tokens),
                    tokens_detail(&tokens),
                    IconName::Key,
                    "stat-tokens",
                    retry_tokens,
                ) }
                { stat(
                    "Projects",
                    projects_value(&projects),
                    "Managed here or by your agents".to_owned(),
                    IconName::Folder,
                    "stat-projects",
                    retry_projects,
                ) }
            </div>
            <section class="card">
                <h2 class="card-title">{ "Next steps" }</h2>
                <ul class="link-list">
                    <li>
                        <AppLink to={Route::ApiTokens} class="link-row" testid="overview-tokens-link">
                            <Icon name={IconName::Key} />
                            <span>{ "Generate a token for your AI agent or CI job" }</span>
                            <Icon name={IconName::ChevronRight} class="link-row-chevron" />
                        </AppLink>
                    </li>
                    <li>
                        <AppLink to={Route::Projects} class="link-row">
                            <Icon name={IconName::Folder} />
                            <span>{ "Review your projects" }</span>
                            <Icon name={IconName::ChevronRight} class="link-row-chevron" />
                        </AppLink>
                    </li>
                    <li>
                        <AppLink to={Route::Docs} class="link-row">
                            <Icon name={IconName::Book} />
                            <span>{ "Read how tokens, permissions and MCP fit together" }</span>
                            <Icon name={IconName::ChevronRight} class="link-row-chevron" />
                        </AppLink>
                    </li>
                </ul>
            </section>
        </div>
    }
}

/// The value, or the reason there is none.
type StatValue = Result<Option<String>, String>;

fn tokens_value(tokens: &Load<TokenPage>) -> StatValue {
    match tokens {
        Load::Loading => Ok(None),
        Load::Failed(error) => Err(error.to_string()),
        Load::Loaded(page) => {
            let active = page.active_count.map_or_else(
                || {
                    page.tokens
                        .iter()
                        .filter(|token| token.status == TokenStatus::Active)
                        .count()
                },
                |count| count as usize,
            );
            Ok(Some(match page.max_active {
                Some(max) => format!("{active} / {max}"),
                None => active.to_string(),
            }))
        }
    }
}

fn tokens_detail(tokens: &Load<TokenPage>) -> String {
    let last_use = tokens
        .loaded()
        .into_iter()
        .flat_map(|page| &page.tokens)
        .filter_map(|token| time::parse(token.last_used_at.as_deref()?))
        .max();
    match last_use {
        Some(at) => format!(
            "Last used {}",
            time::relative(at, time::now()).to_lowercase()
        ),
        None => "No token has been used yet".to_owned(),
    }
}

fn projects_value(projects: &Load<Vec<Project>>) -> StatValue {
    match projects {
        Load::Loading => Ok(None),
        Load::Failed(error) => Err(error.to_string()),
        Load::Loaded(list) => Ok(Some(list.len().to_string())),
    }
}

fn stat(
    label: &'static str,
    value: StatValue,
    detail: String,
    icon: IconName,
    testid: &'static str,
    onretry: Callback<()>,
) -> Html {
    html! {
        <section class="card stat" data-testid={testid}>
            <p class="stat-label"><Icon name={icon} />{ label }</p>
            {
                match value {
                    Ok(Some(value)) => html! {
                        <>
                            <p class="stat-value">{ value }</p>
                            <p class="stat-detail">{ detail }</p>
                        </>
                    },
                    Ok(None) => html! { <p class="stat-detail" role="status">{ "Loading…" }</p> },
                    Err(message) => html! {
                        <div role="alert">
                            <p class="stat-detail is-error">{ message }</p>
                            <button
                                type="button"
                                class="btn btn-outline"
                                data-testid="retry-button"
                                onclick={onretry.reform(|_: MouseEvent| ())}
                            >
                                { "Try again" }
                            </button>
                        </div>
                    },
                }
            }
        </section>
    }
}
