//! `/projects`: the signed-in person's projects, the resource tokens guard.

use yew::prelude::*;

use crate::api::{self, Project};
use crate::components::app_link::AppLink;
use crate::components::icon::IconName;
use crate::components::status::{EmptyState, ErrorPanel, LoadingPanel};
use crate::hooks::{Load, use_load};
use crate::route::Route;
use crate::time;

#[component]
pub(crate) fn ProjectsPage() -> Html {
    let (projects, onretry) = use_load(api::projects);

    let body = match &projects {
        Load::Loading => {
            html! { <LoadingPanel label="Loading your projects…" testid="projects-loading" /> }
        }
        Load::Failed(error) => html! {
            <ErrorPanel
                title="Your projects could not be loaded"
                message={error.to_string()}
                {onretry}
                testid="projects-error"
            />
        },
        Load::Loaded(list) if list.is_empty() => html! {
            <EmptyState
                icon={IconName::Folder}
                title="No projects yet"
                message="Projects appear here when you or an agent with a create token add them through the API."
                testid="projects-empty"
            >
                <AppLink to={Route::ApiTokens} class="btn btn-primary">{ "Create a token" }</AppLink>
            </EmptyState>
        },
        Load::Loaded(list) => html! {
            <ul class="project-grid" data-testid="projects-list">
                { for list.iter().map(project_card) }
            </ul>
        },
    };

    html! {
        <div class="page page-projects">
            <header class="page-header">
                <div class="page-heading">
                    <h1 class="page-title">{ "Projects" }</h1>
                    <p class="page-lead">
                        { "Early-stage ventures you list on Startup Hub. Agents holding your tokens can read and change them." }
                    </p>
                </div>
            </header>
            { body }
        </div>
    }
}

fn project_card(project: &Project) -> Html {
    let status = project.status.label();

    html! {
        <li key={project.id.clone()} class="card project-card" data-testid="project-card" data-project-id={project.id.clone()}>
            <div class="project-head">
                <h2 class="project-title">{ project.title.clone() }</h2>
                <span class={classes!("badge", format!("badge-project-{}", status.to_lowercase()))}>
                    { status }
                </span>
            </div>
            if let Some(description) = &project.description {
                <p class="project-description">{ description.clone() }</p>
            }
            if let Some(pitch) = project.pitch.as_ref().filter(|pitch| !pitch.is_empty()) {
                <p class="project-pitch">{ pitch.clone() }</p>
            }
            <p class="project-date">
                { "Updated " }
                <time class="mono" datetime={project.updated_at.clone()} title={time::exact(&project.updated_at)}>
                    { time::short_date(&project.updated_at) }
                </time>
            </p>
        </li>
    }
}
