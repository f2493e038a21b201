//! The state of the generate form and the checks it passes before anything
//! is sent: an empty name never reaches the server.

use std::collections::BTreeSet;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use yew::prelude::*;

use crate::api::{NewToken, Policy};
use crate::time;

pub(super) const NAME_MAX: usize = 100;
pub(super) const DESCRIPTION_MAX: usize = 100;
pub(super) const EXPIRY_CHOICES: [(&str, &str); 6] = [
    ("7", "7 days"),
    ("30", "30 days"),
    ("60", "60 days"),
    ("90", "90 days"),
    ("custom", "Custom date…"),
    ("never", "No expiration"),
];

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Form {
    pub(super) name: String,
    pub(super) description: String,
    /// `None` until the person touches a box: the policy's defaults apply.
    pub(super) permissions: Option<BTreeSet<String>>,
    pub(super) expiry: String,
    pub(super) custom_date: String,
    pub(super) errors: FieldErrors,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct FieldErrors {
    pub(super) name: Option<String>,
    pub(super) permissions: Option<String>,
    pub(super) expiry: Option<String>,
}

pub(super) enum FormAction {
    Name(String),
    Description(String),
    Toggle {
        permission: String,
        defaults: Vec<String>,
    },
    Expiry(String),
    CustomDate(String),
    Invalid(FieldErrors),
}

impl Reducible for Form {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        let mut form = (*self).clone();
        match action {
            FormAction::Name(name) => {
                form.name = name;
                form.errors.name = None;
            }
            FormAction::Description(description) => form.description = description,
            FormAction::Toggle {
                permission,
                defaults,
            } => {
                let chosen = form
                    .permissions
                    .get_or_insert_with(|| defaults.into_iter().collect());
                if !chosen.remove(&permission) {
                    chosen.insert(permission);
                }
                form.errors.permissions = None;
            }
            FormAction::Expiry(choice) => {
                form.expiry = choice;
                form.errors.expiry = None;
            }
            FormAction::CustomDate(date) => {
                form.custom_date = date;
                form.errors.expiry = None;
            }
            FormAction::Invalid(errors) => form.errors = errors,
        }
        Rc::new(form)
    }
}

impl Form {
    pub(super) fn chosen(&self, policy: Option<&Policy>) -> Vec<String> {
        match (&self.permissions, policy) {
            (Some(chosen), _) => chosen.iter().cloned().collect(),
            (None, Some(policy)) => policy.default_permissions.clone(),
            (None, None) => Vec::new(),
        }
    }

    /// The request to send, or the reasons it cannot be sent yet.
    pub(super) fn validate(
        &self,
        policy: Option<&Policy>,
        now: DateTime<Utc>,
    ) -> Result<NewToken, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = self.name.trim();
        if name.is_empty() {
            errors.name = Some("Token name is required".to_owned());
        } else if name.chars().count() > NAME_MAX {
            errors.name = Some(format!("Token name must be at most {NAME_MAX} characters"));
        } else if name.chars().any(char::is_control) {
            errors.name = Some("Token name cannot contain control characters".to_owned());
        }

        let permissions = self.chosen(policy);
        if policy.is_some() && permissions.is_empty() {
            errors.permissions = Some("Choose at least one permission".to_owned());
        }

        let expires_at = match self.expiry.as_str() {
            "never" => None,
            "custom" => match time::end_of_day(&self.custom_date) {
                Some(at) if at > now => Some(time::rfc3339(at)),
                Some(_) => {
                    errors.expiry = Some("Pick a date in the future".to_owned());
                    None
                }
                None => {
                    errors.expiry = Some("Pick an expiration date".to_owned());
                    None
                }
            },
            days => time::days_from(now, days.parse().unwrap_or(30)),
        };

        if errors != FieldErrors::default() {
            return Err(errors);
        }
        let description = self.description.trim();
        Ok(NewToken {
            name: name.to_owned(),
            description: (!description.is_empty()).then(|| description.to_owned()),
            permissions,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        Policy {
            permissions: ["read", "create", "update", "delete"]
                .map(str::to_owned)
                .to_vec(),
            default_permissions: vec!["read".to_owned()],
            max_active: 10,
            inactivity_days: Some(90),
        }
    }

    fn now() -> DateTime<Utc> {
        time::parse("2026-12-03T10:00:00Z").expect("valid instant")
    }

    fn form(name: &str, expiry: &str) -> Form {
        Form {
            name: name.to_owned(),
            expiry: expiry.to_owned(),
            ..Form::default()
        }
    }

    #[test]
    fn blank_name_is_refused_before_sending() {
        let errors = form("   ", "30")
            .validate(Some(&policy()), now())
            .expect_err("invalid");

        assert_eq!(errors.name.as_deref(), Some("Token name is required"));
    }

    #[test]
    fn valid_form_sends_trimmed_name_default_permission_and_expiry() {
        let request = form("  CI deploy ", "7")
            .validate(Some(&policy()), now())
            .expect("valid");

        assert_eq!(request.name, "CI deploy");
        assert_eq!(request.permissions, vec!["read".to_owned()]);
        assert_eq!(request.expires_at.as_deref(), Some("2026-12-10T10:00:00Z"));
        assert_eq!(request.description, None);
    }

    #[test]
    fn unticking_every_permission_is_refused() {
        let mut form = form("CI", "never");
        form.permissions = Some(BTreeSet::new());

        let errors = form.validate(Some(&policy()), now()).expect_err("invalid");

        assert!(errors.permissions.is_some());
    }

    #[test]
    fn custom_date_must_be_in_the_future() {
        let mut past = form("CI", "custom");
        past.custom_date = "2026-12-02".to_owned();
        let mut future = form("CI", "custom");
        future.custom_date = "2027-01-31".to_owned();

        assert!(past.validate(Some(&policy()), now()).is_err());
        let request = future.validate(Some(&policy()), now()).expect("valid");
        assert_eq!(request.expires_at.as_deref(), Some("2027-01-31T23:59:59Z"));
    }

    #[test]
    fn names_longer_than_100_characters_are_refused() {
        let long = "é".repeat(101);

        let errors = form(&long, "never")
            .validate(Some(&policy()), now())
            .expect_err("invalid");

        assert!(errors.name.is_some_and(|message| message.contains("100")));
    }
}
