//! Any path the app does not know.

use yew::prelude::*;

use crate::components::app_link::AppLink;
use crate::components::icon::IconName;
use crate::components::status::EmptyState;
use crate::route::Route;

#[component]
pub(crate) fn NotFoundPage() -> Html {
    html! {
        <div class="page">
            <EmptyState
                icon={IconName::Search}
                title="Page not found"
                message="There is nothing at this address."
                testid="not-found"
            >
                <AppLink to={Route::ApiTokens} class="btn btn-primary">{ "Go to API Tokens" }</AppLink>
            </EmptyState>
        </div>
    }
}
