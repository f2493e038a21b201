//! Building blocks of the dashboard's pages.

pub(crate) mod app_link;
pub(crate) mod copy_button;
pub(crate) mod dialog;
pub(crate) mod generate_dialog;
pub(crate) mod icon;
pub(crate) mod notifications;
pub(crate) mod quickstart;
pub(crate) mod revoke_dialog;
pub(crate) mod shell;
pub(crate) mod sidebar;
pub(crate) mod status;
pub(crate) mod success_alert;
pub(crate) mod token_table;
pub(crate) mod topbar;
