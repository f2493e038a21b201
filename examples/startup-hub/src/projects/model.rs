//! What a project looks like on the wire, and the rules its fields follow.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::entities::project;

/// Longest title, in characters.
pub(crate) const MAX_TITLE_CHARS: usize = 100;
/// Longest description, in characters.
pub(crate) const MAX_DESCRIPTION_CHARS: usize = 280;
/// Longest pitch, in characters.
pub(crate) const MAX_PITCH_CHARS: usize = 2000;

/// Where a project stands.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
    schemars::JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProjectStatus {
    /// An idea, nothing built yet.
    Idea,
    /// A minimum viable product exists.
    Mvp,
    /// Open to testers.
    Beta,
    /// Public.
    Launched,
    /// On hold.
    Paused,
}

impl ProjectStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [Self; 5] = [
        Self::Idea,
        Self::Mvp,
        Self::Beta,
        Self::Launched,
        Self::Paused,
    ];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Idea => "IDEA",
            Self::Mvp => "MVP",
            Self::Beta => "BETA",
            Self::Launched => "LAUNCHED",
            Self::Paused => "PAUSED",
        }
    }

    /// Parses the wire form exactly.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }
}

/// A project as the API returns it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Project {
    /// The project's id.
    #[schema(example = "0193f5a4-7c2e-7d11-9a3b-6f1c2d3e4f50")]
    pub id: String,
    /// The id of the user who owns it.
    pub owner_id: String,
    /// Up to 100 characters.
    #[schema(example = "Solar Kiosk")]
    pub title: String,
    /// Up to 280 characters.
    #[schema(example = "Pay-as-you-go solar charging for markets")]
    pub description: String,
    /// Up to 2000 characters.
    pub pitch: String,
    /// Where the project stands.
    pub status: ProjectStatus,
    /// When it was created (UTC).
    pub created_at: DateTime<Utc>,
    /// When it last changed (UTC).
    pub updated_at: DateTime<Utc>,
}

impl From<project::Model> for Project {
    fn from(model: project::Model) -> Self {
        Self {
            // Only valid statuses are ever written; an unknown one reads as an idea.
            status: ProjectStatus::parse(&model.status).unwrap_or(ProjectStatus::Idea),
            id: model.id,
            owner_id: model.owner_id,
            title: model.title,
            description: model.description,
            pitch: model.pitch,
            created_at: model.created_at,
            updated_at: model.updated_at,
        }
    }
}

/// A list of projects, newest first.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProjectList {
    /// The projects.
    pub projects: Vec<Project>,
}

/// The fields of a new project. Only `title` is required.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema, schemars::JsonSchema)]
pub struct NewProject {
    /// 1–100 characters.
    #[schema(example = "Solar Kiosk")]
    pub title: String,
    /// Up to 280 characters (default empty).
    #[serde(default)]
    pub description: Option<String>,
    /// Up to 2000 characters (default empty).
    #[serde(default)]
    pub pitch: Option<String>,
    /// `IDEA` (default), `MVP`, `BETA`, `LAUNCHED` or `PAUSED`.
    #[serde(default)]
    #[schema(value_type = Option<ProjectStatus>)]
    #[schemars(with = "Option<ProjectStatus>")]
    pub status: Option<String>,
}

/// Changes to a project: fields left out stay as they are.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema, schemars::JsonSchema)]
pub struct ProjectChanges {
    /// 1–100 characters.
    #[serde(default)]
    pub title: Option<String>,
    /// Up to 280 characters.
    #[serde(default)]
    pub description: Option<String>,
    /// Up to 2000 characters.
    #[serde(default)]
    pub pitch: Option<String>,
    /// `IDEA`, `MVP`, `BETA`, `LAUNCHED` or `PAUSED`.
    #[serde(default)]
    #[schema(value_type = Option<ProjectStatus>)]
    #[schemars(with = "Option<ProjectStatus>")]
    pub status: Option<String>,
}

/// A field that breaks the rules: which one, and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidField {
    /// The field's name on the wire.
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Checked fields, ready to store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidChanges {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) pitch: Option<String>,
    pub(crate) status: Option<ProjectStatus>,
}

impl NewProject {
    /// Checks every field; a missing status becomes `IDEA`.
    ///
    /// # Errors
    ///
    /// The first [`InvalidField`].
    pub fn validate(self) -> Result<ValidChanges, InvalidField> {
        let mut valid = ProjectChanges {
            title: Some(self.title),
            description: self.description,
            pitch: self.pitch,
            status: self.status,
        }
        .validate()?;
        valid.description.get_or_insert_with(String::new);
        valid.pitch.get_or_insert_with(String::new);
        valid.status.get_or_insert(ProjectStatus::Idea);
        Ok(valid)
    }
}

impl ProjectChanges {
    /// Checks the fields that are present.
    ///
    /// # Errors
    ///
    /// The first [`InvalidField`].
    pub fn validate(self) -> Result<ValidChanges, InvalidField> {
        let title = self.title.map(|title| check_title(&title)).transpose()?;
        let description = self
            .description
            .map(|text| check_text("description", "Description", &text, MAX_DESCRIPTION_CHARS))
            .transpose()?;
        let pitch = self
            .pitch
            .map(|text| check_text("pitch", "Pitch", &text, MAX_PITCH_CHARS))
            .transpose()?;
        let status = self
            .status
            .map(|status| check_status(&status))
            .transpose()?;
        Ok(ValidChanges {
            title,
            description,
            pitch,
            status,
        })
    }
}

fn check_title(title: &str) -> Result<String, InvalidField> {
    let title = title.trim();
    if title.is_empty() {
        return Err(invalid("title", "Title is required".into()));
    }
    if title.chars().any(char::is_control) {
        return Err(invalid(
            "title",
            "Title must not contain control characters".into(),
        ));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(invalid(
            "title",
            format!("Title must be at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    Ok(title.to_owned())
}

/// Free text may hold line breaks and tabs, but no other control characters.
fn check_text(
    field: &'static str,
    label: &str,
    text: &str,
    max: usize,
) -> Result<String, InvalidField> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(invalid(
            field,
            format!("{label} must be at most {max} characters"),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(invalid(
            field,
            format!("{label} must not contain control characters"),
        ));
    }
    Ok(text.to_owned())
}

fn check_status(status: &str) -> Result<ProjectStatus, InvalidField> {
    ProjectStatus::parse(status.trim()).ok_or_else(|| {
        invalid(
            "status",
            "Status must be one of IDEA, MVP, BETA, LAUNCHED, PAUSED".into(),
        )
    })
}

fn invalid(field: &'static str, message: String) -> InvalidField {
    InvalidField { field, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_project_needs_only_a_title() {
        let valid = NewProject {
            title: "  Solar Kiosk ".into(),
            ..NewProject::default()
        }
        .validate()
        .expect("a title is enough");

        assert_eq!(valid.title.as_deref(), Some("Solar Kiosk"));
        assert_eq!(valid.description.as_deref(), Some(""));
        assert_eq!(valid.status, Some(ProjectStatus::Idea));
    }

    #[test]
    fn limits_are_counted_in_characters() {
        let title = "é".repeat(MAX_TITLE_CHARS);
        let too_long = "é".repeat(MAX_TITLE_CHARS + 1);

        assert!(check_title(&title).is_ok());
        assert_eq!(check_title(&too_long).map_err(|e| e.field), Err("title"));
        assert!(
            check_text(
                "pitch",
                "Pitch",
                &"x".repeat(MAX_PITCH_CHARS + 1),
                MAX_PITCH_CHARS
            )
            .is_err()
        );
    }

    #[test]
    fn unknown_statuses_are_refused_by_name() {
        let error = ProjectChanges {
            status: Some("DONE".into()),
            ..ProjectChanges::default()
        }
        .validate()
        .expect_err("DONE is not a status");

        assert_eq!(error.field, "status");
    }
}
