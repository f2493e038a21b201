//! `/login`: Log In and Sign Up tabs over one form, email and password with a
//! show/hide toggle. Success opens the page the person was sent here from.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::components::icon::{Icon, IconName};
use crate::components::status::LoadingPanel;
use crate::hooks::{Session, SessionAction, use_session};
use crate::route::LoginQuery;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    LogIn,
    SignUp,
}

#[derive(Clone, Debug, PartialEq)]
struct AuthForm {
    mode: Mode,
    name: String,
    email: String,
    password: String,
    show_password: bool,
    submitting: bool,
    /// Keyed by field (`name`, `email`, `password`); `None` key = whole form.
    errors: Vec<(Option<&'static str>, String)>,
}

enum AuthAction {
    Mode(Mode),
    Name(String),
    Email(String),
    Password(String),
    TogglePassword,
    Submitting,
    Failed(Vec<(Option<&'static str>, String)>),
}

impl Reducible for AuthForm {
    type Action = AuthAction;

    fn reduce(self: Rc<Self>, action: AuthAction) -> Rc<Self> {
        let mut form = (*self).clone();
        match action {
            AuthAction::Mode(mode) => {
                form.mode = mode;
                form.errors.clear();
            }
            AuthAction::Name(value) => form.name = value,
            AuthAction::Email(value) => form.email = value,
            AuthAction::Password(value) => form.password = value,
            AuthAction::TogglePassword => form.show_password = !form.show_password,
            AuthAction::Submitting => {
                form.submitting = true;
                form.errors.clear();
            }
            AuthAction::Failed(errors) => {
                form.submitting = false;
                form.errors = errors;
            }
        }
        Rc::new(form)
    }
}

impl AuthForm {
    fn error(&self, field: Option<&str>) -> Option<String> {
        self.errors
            .iter()
            .find(|(key, _)| key.as_deref() == field)
            .map(|(_, text)| text.clone())
    }

    fn missing(&self) -> Vec<(Option<&'static str>, String)> {
        let mut errors = Vec::new();
        if self.mode == Mode::SignUp && self.name.trim().is_empty() {
            errors.push((Some("name"), "Enter your name".to_owned()));
        }
        if self.email.trim().is_empty() {
            errors.push((Some("email"), "Enter your email address".to_owned()));
        }
        if self.password.is_empty() {
            errors.push((Some("password"), "Enter your password".to_owned()));
        }
        errors
    }
}

fn server_errors(error: &ApiError) -> Vec<(Option<&'static str>, String)> {
    let field = match error.field() {
        Some("name") => Some("name"),
        Some("email") => Some("email"),
        Some("password") => Some("password"),
        _ => None,
    };
    vec![(field, error.to_string())]
}

#[component]
pub(crate) fn LoginPage() -> Html {
    let session = use_session();
    let navigator = use_navigator();
    let target = use_location()
        .and_then(|location| location.query::<LoginQuery>().ok())
        .unwrap_or_default()
        .target();
    let form = use_reducer_eq(|| AuthForm {
        mode: Mode::LogIn,
        name: String::new(),
        email: String::new(),
        password: String::new(),
        show_password: false,
        submitting: false,
        errors: Vec::new(),
    });

    use_effect_with((), |_| crate::dom::set_title("Sign in"));
    {
        let signed_in = matches!(*session, Session::SignedIn(_));
        let target = target.clone();
        use_effect_with(signed_in, move |signed_in| {
            if let (true, Some(navigator)) = (*signed_in, navigator) {
                navigator.replace(&target);
            }
        });
    }

    let onsubmit = {
        let form = form.clone();
        let session = session.dispatcher();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if form.submitting {
                return;
            }
            let missing = form.missing();
            if !missing.is_empty() {
                form.dispatch(AuthAction::Failed(missing));
                return;
            }
            form.dispatch(AuthAction::Submitting);
            let (form, session) = (form.clone(), session.clone());
            spawn_local(async move {
                let email = form.email.trim();
                let result = match form.mode {
                    Mode::LogIn => api::login(email, &form.password).await,
                    Mode::SignUp => api::signup(form.name.trim(), email, &form.password).await,
                };
                match result {
                    Ok(user) => session.dispatch(SessionAction::SignedIn(user)),
                    Err(error) => form.dispatch(AuthAction::Failed(server_errors(&error))),
                }
            });
        })
    };

    if matches!(*session, Session::Checking | Session::SignedIn(_)) {
        return html! { <LoadingPanel label="Checking your session…" full_page=true /> };
    }

    let signing_up = form.mode == Mode::SignUp;
    html! {
        <div class="auth-page">
            <header class="auth-top">
                <span class="brand-logo" aria-hidden="true"><Icon name={IconName::Rocket} /></span>
                <span class="brand-name">{ "Startup Hub" }</span>
            </header>
            <main class="auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title" class="auth-title">
                    { if signing_up { "Create your account" } else { "Welcome back" } }
                </h1>
                <p class="auth-lead">{ "Connect with top investors and specialists" }</p>
                { tabs(&form) }
                <form
                    id="auth-panel"
                    class="auth-form"
                    role="tabpanel"
                    aria-labelledby={if signing_up { "tab-signup" } else { "tab-login" }}
                    novalidate=true
                    {onsubmit}
                >
                    if let Some(error) = form.error(None) {
                        <p class="form-banner" role="alert" data-testid="auth-error">
                            <Icon name={IconName::Alert} />
                            <span>{ error }</span>
                        </p>
                    }
                    if signing_up {
                        { text_field(&form, "name", "Full Name", "text", "Ada Lovelace", "name") }
                    }
                    { text_field(&form, "email", "Email Address", "email", "name@example.com", "email") }
                    { password_field(&form) }
                    <button
                        type="submit"
                        class="btn btn-primary btn-block btn-large"
                        disabled={form.submitting}
                        aria-busy={form.submitting.then_some("true")}
                        data-testid="auth-submit"
                    >
                        <span>
                            { match (signing_up, form.submitting) {
                                (false, false) => "Log In",
                                (false, true) => "Logging in…",
                                (true, false) => "Create Account",
                                (true, true) => "Creating account…",
                            } }
                        </span>
                        <Icon name={IconName::ArrowRight} />
                    </button>
                </form>
                <p class="auth-legal">
                    { "By continuing, you agree to the Terms of Service and Privacy Policy of this Startup Hub instance." }
                </p>
            </main>
        </div>
    }
}

fn tabs(form: &UseReducerHandle<AuthForm>) -> Html {
    let tab = |mode: Mode, id: &'static str, label: &'static str| {
        let selected = form.mode == mode;
        let onclick = {
            let form = form.clone();
            Callback::from(move |_: MouseEvent| form.dispatch(AuthAction::Mode(mode)))
        };
        // Arrow keys move between the two tabs, as in any tab list.
        let onkeydown = {
            let form = form.clone();
            Callback::from(move |event: KeyboardEvent| {
                if matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight") {
                    event.prevent_default();
                    let other = if mode == Mode::LogIn {
                        Mode::SignUp
                    } else {
                        Mode::LogIn
                    };
                    form.dispatch(AuthAction::Mode(other));
                    crate::dom::focus_by_id(if other == Mode::LogIn {
                        "tab-login"
                    } else {
                        "tab-signup"
                    });
                }
            })
        };
        html! {
            <button
                type="button"
                role="tab"
                {id}
                class={classes!("tab", selected.then_some("is-selected"))}
                aria-selected={selected.to_string()}
                aria-controls="auth-panel"
                tabindex={if selected { "0" } else { "-1" }}
                data-testid={id}
                {onclick}
                {onkeydown}
            >
                { label }
            </button>
        }
    };

    html! {
        <div class="tabs" role="tablist" aria-label="Sign in or create an account">
            { tab(Mode::LogIn, "tab-login", "Log In") }
            { tab(Mode::SignUp, "tab-signup", "Sign Up") }
        </div>
    }
}

fn text_field(
    form: &UseReducerHandle<AuthForm>,
    field: &'static str,
    label: &'static str,
    kind: &'static str,
    placeholder: &'static str,
    autocomplete: &'static str,
) -> Html {
    let id = format!("auth-{field}");
    let error_id = format!("{id}-error");
    let error = form.error(Some(field));
    let value = if field == "name" {
        form.name.clone()
    } else {
        form.email.clone()
    };
    let oninput = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let action = if field == "name" {
                AuthAction::Name
            } else {
                AuthAction::Email
            };
            form.dispatch(action(input.value()));
        })
    };

    html! {
        <div class="field">
            <label class="field-label" for={id.clone()}>{ label }</label>
            <input
                id={id}
                class="input input-large"
                type={kind}
                {placeholder}
                {autocomplete}
                aria-invalid={error.is_some().then_some("true")}
                aria-describedby={error.is_some().then_some(error_id.clone())}
                data-testid={format!("{field}-input")}
                {value}
                {oninput}
            />
            if let Some(error) = error {
                <p id={error_id} class="field-error">{ error }</p>
            }
        </div>
    }
}

fn password_field(form: &UseReducerHandle<AuthForm>) -> Html {
    let error = form.error(Some("password"));
    let oninput = {
        let form = form.clone();
        Callback::from(move |event: InputEvent| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            form.dispatch(AuthAction::Password(input.value()));
        })
    };
    let ontoggle = {
        let form = form.clone();
        Callback::from(move |_: MouseEvent| form.dispatch(AuthAction::TogglePassword))
    };
    let shown = form.show_password;
    let new_password = form.mode == Mode::SignUp;

    html! {
        <div class="field">
            <label class="field-label" for="auth-password">{ "Password" }</label>
            <div class="input-with-button">
                <input
                    id="auth-password"
                    class="input input-large"
                    type={if shown { "text" } else { "password" }}
                    placeholder="Enter your password"
                    autocomplete={if new_password { "new-password" } else { "current-password" }}
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then_some("auth-password-error")}
                    data-testid="password-input"
                    value={form.password.clone()}
                    {oninput}
                />
                <button
                    type="button"
                    class="icon-button input-button"
                    aria-label={if shown { "Hide password" } else { "Show password" }}
                    aria-pressed={shown.to_string()}
                    data-testid="toggle-password"
                    onclick={ontoggle}
                >
                    <Icon name={if shown { IconName::EyeOff } else { IconName::Eye }} />
                </button>
            </div>
            if let Some(error) = error {
                <p id="auth-password-error" class="field-error">{ error }</p>
            }
        </div>
    }
}
