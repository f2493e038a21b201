//! Projects: the resource the agents' API, the MCP tools and the dashboard share.

mod model;
pub(crate) mod routes;
pub mod store;

pub use model::{
    InvalidField, NewProject, Project, ProjectChanges, ProjectList, ProjectStatus, ValidChanges,
};
pub use routes::{agents_router, session_router};
