//! The "Generate New Token" form. It validates before anything is sent (an
//! empty name never reaches the server) and shows the server's refusals in
//! place. The request itself belongs to the page, so closing the dialog never
//! loses a token that was already created.

mod form;

use yew::prelude::*;

use super::dialog::Dialog;
use super::icon::{Icon, IconName};
use crate::api::{ApiError, NewToken, Policy};
use crate::hooks::Load;
use crate::time;
use form::{DESCRIPTION_MAX, EXPIRY_CHOICES, Form, FormAction};

#[derive(Properties, PartialEq)]
pub(crate) struct GenerateDialogProps {
    pub(crate) policy: Load<Policy>,
    /// A create request is on its way: the submit button stays disabled.
    pub(crate) submitting: bool,
    pub(crate) error: Option<ApiError>,
    pub(crate) oncreate: Callback<NewToken>,
    pub(crate) onclose: Callback<()>,
}

#[component]
pub(crate) fn GenerateDialog(props: &GenerateDialogProps) -> Html {
    let form = use_reducer_eq(|| Form {
        expiry: "30".to_owned(),
        ..Form::default()
    });
    let name_ref = use_node_ref();
    let policy = props.policy.loaded();

    let onsubmit = {
        let form = form.clone();
        let policy = policy.cloned();
        let oncreate = props.oncreate.clone();
        let submitting = props.submitting;
        let name_ref = name_ref.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if submitting {
                return;
            }
            match form.validate(policy.as_ref(), time::now()) {
                Ok(new_token) => oncreate.emit(new_token),
                Err(errors) => {
                    if errors.name.is_some() {
                        focus(&name_ref);
                    }
                    form.dispatch(FormAction::Invalid(errors));
                }
            }
        })
    };

    // A field the server rejected is shown beside that field; anything else
    // goes in the banner at the top of the form.
    let server_name_error = props
        .error
        .as_ref()
        .filter(|error| error.field() == Some("name"))
        .map(ToString::to_string);
    let banner = props
        .error
        .as_ref()
        .filter(|error| error.field() != Some("name"));
    let name_error = form.errors.name.clone().or(server_name_error);

    html! {
        <Dialog id="generate" title="Generate New Token" onclose={props.onclose.clone()}>
            <form class="dialog-form" novalidate=true {onsubmit}>
                <div class="dialog-body">
                    if let Some(error) = banner {
                        <p class="form-banner" role="alert" data-testid="generate-error">
                            <Icon name={IconName::Alert} />
                            <span>{ error.to_string() }</span>
                        </p>
                    }
                    { name_field(&form, &name_ref, name_error) }
                    { description_field(&form) }
                    { permissions_field(&form, &props.policy) }
                    { expiry_field(&form) }
                </div>
                <footer class="dialog-footer">
                    <button
                        type="button"
                        class="btn btn-ghost"
                        data-testid="generate-cancel"
                        onclick={props.onclose.reform(|_: MouseEvent| ())}
                    >
                        { "Cancel" }
                    </button>
                    <button
                        type="submit"
                        class="btn btn-primary"
                        disabled={props.submitting}
                        aria-busy={props.submitting.then_some("true")}
                        data-testid="generate-submit"
                    >
                        { if props.submitting { "Generating…" } else { "Generate Token" } }
                    </button>
                </footer>
            </form>
        </Dialog>
    }
}

fn focus(node: &NodeRef) {
    if let Some(input) = node.cast::<web_sys::HtmlElement>() {
        let _ = input.focus();
    }
}

fn name_field(form: &UseReducerHandle<Form>, node: &NodeRef, error: Option<String>) -> Html {
    let oninput = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::Name(input.value()));
        })
    };

    html! {
        <div class="field">
            <label class="field-label" for="token-name">
                { "Token name" }<span class="required" aria-hidden="true">{ "*" }</span>
            </label>
            <input
                ref={node.clone()}
                id="token-name"
                class="input"
                type="text"
                placeholder="e.g. CI deploy, Claude Desktop"
                autocomplete="off"
                aria-required="true"
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then_some("token-name-error")}
                data-testid="token-name-input"
                data-autofocus="true"
                value={form.name.clone()}
                {oninput}
            />
            if let Some(error) = error {
                <p id="token-name-error" class="field-error" data-testid="token-name-error">
                    { error }
                </p>
            }
        </div>
    }
}

fn description_field(form: &UseReducerHandle<Form>) -> Html {
    let oninput = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::Description(input.value()));
        })
    };

    html! {
        <div class="field">
            <label class="field-label" for="token-description">{ "Description" }</label>
            <input
                id="token-description"
                class="input"
                type="text"
                placeholder="Optional, e.g. Production"
                maxlength={DESCRIPTION_MAX.to_string()}
                autocomplete="off"
                data-testid="token-description-input"
                value={form.description.clone()}
                {oninput}
            />
        </div>
    }
}

fn permissions_field(form: &UseReducerHandle<Form>, policy: &Load<Policy>) -> Html {
    let policy = match policy {
        Load::Loaded(policy) => policy,
        Load::Loading => return html! { <p class="field-hint">{ "Loading permissions…" }</p> },
        Load::Failed(error) => {
            return html! {
                <p class="field-hint" role="status" data-testid="permissions-unavailable">
                    { format!("The permission list could not be loaded ({error}). \
                        The token will get the server's default permissions.") }
                </p>
            };
        }
    };
    let chosen = form.chosen(Some(policy));
    let error = form.errors.permissions.clone();

    html! {
        <fieldset class="field" aria-describedby={error.is_some().then_some("token-permissions-error")}>
            <legend class="field-label">{ "Permissions" }</legend>
            <div class="checkbox-grid">
                { for policy.permissions.iter().map(|permission| {
                    let onchange = {
                        let form = form.clone();
                        let permission = permission.clone();
                        let defaults = policy.default_permissions.clone();
                        Callback::from(move |_: Event| form.dispatch(FormAction::Toggle {
                            permission: permission.clone(),
                            defaults: defaults.clone(),
                        }))
                    };
                    let id = format!("permission-{permission}");
                    html! {
                        <label class="checkbox" for={id.clone()}>
                            <input
                                id={id.clone()}
                                type="checkbox"
                                checked={chosen.contains(permission)}
                                data-testid={id}
                                {onchange}
                            />
                            <span class="checkbox-text">
                                <span class="checkbox-title">{ permission.clone() }</span>
                                <span class="checkbox-hint">{ permission_hint(permission) }</span>
                            </span>
                        </label>
                    }
                }) }
            </div>
            if let Some(error) = error {
                <p id="token-permissions-error" class="field-error">{ error }</p>
            }
        </fieldset>
    }
}

fn permission_hint(permission: &str) -> &'static str {
    match permission {
        "read" => "List and view projects",
        "create" => "Add new projects",
        "update" => "Edit existing projects",
        "delete" => "Remove projects",
        _ => "",
    }
}

fn expiry_field(form: &UseReducerHandle<Form>) -> Html {
    let onchange = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let select: web_sys::HtmlSelectElement = event.target_unchecked_into();
            form.dispatch(FormAction::Expiry(select.value()));
        })
    };
    let ondate = {
        let form = form.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            form.dispatch(FormAction::CustomDate(input.value()));
        })
    };
    let error = form.errors.expiry.clone();
    let hint = match form.expiry.as_str() {
        "never" => {
            "The token stays valid until you revoke it or it goes unused too long.".to_owned()
        }
        "custom" => "The token stops working at the end of that day (UTC).".to_owned(),
        days => time::days_from(time::now(), days.parse().unwrap_or(30))
            .map(|at| format!("The token will expire on {}.", time::short_date(&at)))
            .unwrap_or_default(),
    };

    html! {
        <div class="field">
            <label class="field-label" for="token-expiration">{ "Expiration" }</label>
            <select id="token-expiration" class="input select" data-testid="token-expiration" {onchange}>
                { for EXPIRY_CHOICES.iter().map(|(value, label)| html! {
                    <option value={*value} selected={form.expiry == *value}>{ *label }</option>
                }) }
            </select>
            if form.expiry == "custom" {
                <label class="visually-hidden" for="token-expiration-date">{ "Expiration date" }</label>
                <input
                    id="token-expiration-date"
                    class="input"
                    type="date"
                    min={time::tomorrow(time::now())}
                    value={form.custom_date.clone()}
                    aria-invalid={error.is_some().then_some("true")}
                    data-testid="token-expiration-date"
                    onchange={ondate}
                />
            }
            if let Some(error) = error {
                <p class="field-error" data-testid="token-expiration-error">{ error }</p>
            } else {
                <p class="field-hint">{ hint }</p>
            }
        </div>
    }
}
