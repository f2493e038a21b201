//! The dashboard's icons, drawn as inline SVG on a 24 px grid so nothing is
//! fetched at run time. Icons are decorative: the control around them carries
//! the accessible name.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IconName {
    Alert,
    ArrowRight,
    Bell,
    Bolt,
    Book,
    Card,
    Check,
    CheckCircle,
    ChevronLeft,
    ChevronRight,
    Close,
    Copy,
    Eye,
    EyeOff,
    Folder,
    Gear,
    Grid,
    Help,
    Info,
    Key,
    Laptop,
    LogOut,
    Menu,
    Phone,
    Plus,
    Rocket,
    Search,
    Terminal,
    Trash,
    TrashX,
    Users,
    Webhook,
}

#[derive(Properties, PartialEq)]
pub(crate) struct IconProps {
    pub(crate) name: IconName,
    #[prop_or_default]
    pub(crate) class: Classes,
}

#[component]
pub(crate) fn Icon(props: &IconProps) -> Html {
    html! {
        <svg
            class={classes!("icon", props.class.clone())}
            viewBox="0 0 24 24"
            aria-hidden="true"
            focusable="false"
        >
            { shapes(props.name) }
        </svg>
    }
}

fn shapes(name: IconName) -> Html {
    match name {
        IconName::Alert => html! {
            <path d="M12 3 2 20h20L12 3zM12 10v4M12 17h.01" />
        },
        IconName::ArrowRight => html! { <path d="M5 12h14M13 6l6 6-6 6" /> },
        IconName::Bell => html! {
            <path d="M6 9a6 6 0 0 1 12 0c0 6 2.5 8 2.5 8h-17S6 15 6 9zM10 20.5a2.2 2.2 0 0 0 4 0" />
        },
        IconName::Bolt => {
            html! { <path class="icon-fill" d="M13.5 2 4.5 13.5h6.5L10 22l9-11.5h-6.5z" /> }
        }
        IconName::Book => html! {
            <path d="M2.5 5H8a4 4 0 0 1 4 4v11a3 3 0 0 0-3-3H2.5zM21.5 5H16a4 4 0 0 0-4 4v11a3 3 0 0 1 3-3h6.5z" />
        },
        IconName::Card => html! {
            <>
                <rect x="2.5" y="5" width="19" height="14" rx="2" />
                <path d="M2.5 10h19M6 15h4" />
            </>
        },
        IconName::Check => html! { <path d="M5 12.5 9.5 17 19 7" /> },
        IconName::CheckCircle => html! {
            <>
                <circle class="icon-fill" cx="12" cy="12" r="9" />
                <path class="icon-knockout" d="m8 12.3 2.8 2.8L16.2 9.5" />
            </>
        },
        IconName::ChevronLeft => html! { <path d="m15 18-6-6 6-6" /> },
        IconName::ChevronRight => html! { <path d="m9 18 6-6-6-6" /> },
        IconName::Close => html! { <path d="M6 6l12 12M18 6 6 18" /> },
        IconName::Copy => html! {
            <>
                <rect x="9" y="9" width="12" height="12" rx="2" />
                <path d="M5 15H4.5A1.5 1.5 0 0 1 3 13.5v-9A1.5 1.5 0 0 1 4.5 3h9A1.5 1.5 0 0 1 15 4.5V5" />
            </>
        },
        IconName::Eye => html! {
            <>
                <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
                <circle cx="12" cy="12" r="3" />
            </>
        },
        IconName::EyeOff => html! {
            <>
                <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
                <circle cx="12" cy="12" r="3" />
                <path d="M3 3l18 18" />
            </>
        },
        IconName::Folder => html! {
            <path class="icon-fill" d="M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z" />
        },
        IconName::Gear => html! {
            <>
                <circle cx="12" cy="12" r="3" />
                <circle cx="12" cy="12" r="7" />
                <path d="M12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1" />
            </>
        },
        IconName::Grid => html! {
            <>
                <rect class="icon-fill" x="3" y="3" width="8" height="10" rx="1" />
                <rect class="icon-fill" x="13" y="3" width="8" height="6" rx="1" />
                <rect class="icon-fill" x="13" y="11" width="8" height="10" rx="1" />
                <rect class="icon-fill" x="3" y="15" width="8" height="6" rx="1" />
            </>
        },
        IconName::Help => html! {
            <>
                <circle cx="12" cy="12" r="9.5" />
                <path d="M9.2 9.2a2.9 2.9 0 0 1 5.6 1c0 2-2.8 2.5-2.8 4M12 17.2h.01" />
            </>
        },
        IconName::Info => html! {
            <>
                <circle cx="12" cy="12" r="9.5" />
                <path d="M12 16.5v-5M12 8h.01" />
            </>
        },
        IconName::Key => html! {
            <>
                <circle cx="7" cy="12" r="4" />
                <path d="M11 12h11M18.5 12v3.5M21.5 12v2.5" />
            </>
        },
        IconName::Laptop => html! {
            <>
                <rect class="icon-fill" x="4" y="5" width="16" height="11" rx="1" />
                <path d="M2 19.5h20" />
            </>
        },
        IconName::LogOut => html! {
            <path d="M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9" />
        },
        IconName::Menu => html! { <path d="M4 6h16M4 12h16M4 18h16" /> },
        IconName::Phone => html! {
            <>
                <rect class="icon-fill" x="6.5" y="2" width="11" height="20" rx="2" />
                <path class="icon-knockout" d="M11 18.5h2" />
            </>
        },
        IconName::Plus => html! { <path d="M12 5v14M5 12h14" /> },
        IconName::Rocket => html! {
            <>
                <path class="icon-fill" d="M14.5 3.5c3-1 5-1 6-1 0 1 0 3-1 6L13 15l-4-4 5.5-7.5z" />
                <path d="M9 11 5.5 10.5 3 13l4 1M13 15l.5 3.5L11 21l-1-4M7.5 16.5 4 20" />
            </>
        },
        IconName::Search => {
            html! { <path d="M10.5 17.5a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM20.5 20.5l-5-5" /> }
        }
        IconName::Terminal => html! {
            <>
                <rect x="2.5" y="4" width="19" height="16" rx="2" />
                <path d="m6.5 9 3 3-3 3M12 15h5" />
            </>
        },
        IconName::Trash => html! {
            <path class="icon-fill" d="M9 3h6l1 1.5h4V7H4V4.5h4L9 3zM5.5 8.5h13l-1 11.5a1.5 1.5 0 0 1-1.5 1.5H8A1.5 1.5 0 0 1 6.5 20z" />
        },
        IconName::TrashX => html! {
            <>
                <path class="icon-fill" d="M9 3h6l1 1.5h4V7H4V4.5h4L9 3zM5.5 8.5h13l-1 11.5a1.5 1.5 0 0 1-1.5 1.5H8A1.5 1.5 0 0 1 6.5 20z" />
                <path class="icon-knockout" d="m10 12 4 5M14 12l-4 5" />
            </>
        },
        IconName::Users => html! {
            <>
                <circle class="icon-fill" cx="9" cy="8" r="3.5" />
                <path class="icon-fill" d="M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6z" />
                <circle cx="17" cy="9" r="2.5" />
                <path d="M17.5 14.2c2.5.4 4 2.3 4 4.8" />
            </>
        },
        IconName::Webhook => html! {
            <>
                <circle cx="6" cy="17" r="2.5" />
                <circle cx="18" cy="17" r="2.5" />
                <circle cx="12" cy="6" r="2.5" />
                <path d="M8.5 17h7M10.8 8.2 7.2 14.8M13.2 8.2l3.6 6.6" />
            </>
        },
    }
}
