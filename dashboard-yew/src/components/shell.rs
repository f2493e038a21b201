//! The frame around every signed-in page: sidebar, top bar, main region.
//! Below 768 px the sidebar becomes a drawer opened from the top bar.

use yew::prelude::*;

use super::sidebar::Sidebar;
use super::topbar::{Crumb, TopBar};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub(crate) struct ShellProps {
    pub(crate) route: Route,
    #[prop_or_default]
    pub(crate) children: Html,
}

#[component]
pub(crate) fn Shell(props: &ShellProps) -> Html {
    let menu_open = use_state_eq(|| false);

    {
        let menu_open = menu_open.clone();
        use_effect_with(props.route.clone(), move |route| {
            menu_open.set(false);
            crate::dom::set_title(title(route));
        });
    }

    let ontogglemenu = {
        let menu_open = menu_open.clone();
        Callback::from(move |()| menu_open.set(!*menu_open))
    };
    let onclosemenu = {
        let menu_open = menu_open.clone();
        Callback::from(move |()| menu_open.set(false))
    };
    let onkeydown = {
        let onclosemenu = onclosemenu.clone();
        let open = *menu_open;
        Callback::from(move |event: KeyboardEvent| {
            if open && event.key() == "Escape" {
                onclosemenu.emit(());
            }
        })
    };

    html! {
        <div class={classes!("shell", menu_open.then_some("is-menu-open"))} {onkeydown}>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <Sidebar current={props.route.clone()} open={*menu_open} onclose={onclosemenu.clone()} />
            if *menu_open {
                <div class="drawer-backdrop" aria-hidden="true" onclick={onclosemenu.reform(|_: MouseEvent| ())}></div>
            }
            <div class="shell-main">
                <TopBar
                    route={props.route.clone()}
                    crumbs={crumbs(&props.route)}
                    menu_open={*menu_open}
                    {ontogglemenu}
                />
                <main id="main" class="content" tabindex="-1">
                    { props.children.clone() }
                </main>
            </div>
        </div>
    }
}

fn title(route: &Route) -> &'static str {
    match route {
        Route::ApiTokens => "API Tokens",
        Route::Home | Route::Overview => "Overview",
        Route::Projects => "Projects",
        Route::Docs => "Docs",
        Route::Login | Route::NotFound => "Not found",
    }
}

fn crumbs(route: &Route) -> Vec<Crumb> {
    let dashboard = Crumb::link("Dashboard", Route::Overview);
    match route {
        Route::ApiTokens => vec![
            dashboard,
            Crumb::text("Settings"),
            Crumb::text("API Tokens"),
        ],
        Route::Home | Route::Overview => vec![dashboard, Crumb::text("Overview")],
        Route::Projects => vec![dashboard, Crumb::text("Projects")],
        Route::Docs => vec![dashboard, Crumb::text("Support"), Crumb::text("Docs")],
        Route::Login | Route::NotFound => vec![dashboard, Crumb::text("Not found")],
    }
}
