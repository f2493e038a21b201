//! "Developer Quickstart": a curl call and an MCP client configuration that
//! work exactly as pasted. While a new token is on screen it is filled in;
//! otherwise a clearly marked placeholder stands in its place.

use yew::prelude::*;

use super::copy_button::CopyButton;
use super::icon::{Icon, IconName};

pub(crate) const PLACEHOLDER: &str = "YOUR_TOKEN";

#[derive(Properties, PartialEq)]
pub(crate) struct QuickstartProps {
    /// The plaintext of a token created moments ago, while its alert shows.
    #[prop_or_default]
    pub(crate) token: Option<AttrValue>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Example {
    Curl,
    Mcp,
}

#[component]
pub(crate) fn Quickstart(props: &QuickstartProps) -> Html {
    let example = use_state_eq(|| Example::Curl);
    let origin = origin();
    let (token, token_class) = match &props.token {
        Some(token) => (token.to_string(), "tok-secret"),
        None => (PLACEHOLDER.to_owned(), "tok-placeholder"),
    };
    let url = format!("{origin}/api/mcp/projects");
    let mcp_url = format!("{origin}/mcp");
    let curl = format!("curl -X GET \\\n  {url} \\\n  -H 'Authorization: Bearer {token}'");
    let config = mcp_config(&mcp_url, &token);
    let token_span = || html! { <span class={token_class}>{ token.clone() }</span> };
    let showing_curl = *example == Example::Curl;
    let copy = if showing_curl {
        html! { <CopyButton key="curl" text={curl} label="Copy curl command" testid="copy-curl" /> }
    } else {
        html! { <CopyButton key="mcp" text={config} label="Copy MCP configuration" testid="copy-mcp" /> }
    };

    html! {
        <section class="card quickstart" aria-labelledby="quickstart-title" data-testid="quickstart">
            <h2 id="quickstart-title" class="card-title">
                <Icon name={IconName::Terminal} class="card-title-icon" />
                { "Developer Quickstart" }
            </h2>
            <p class="card-lead">
                { "Use your API token to authenticate requests. Pass the token in the header of your requests." }
            </p>
            <div class="terminal">
                <div class="terminal-bar">
                    <span class="terminal-dots" aria-hidden="true">
                        <span class="dot dot-red"></span>
                        <span class="dot dot-yellow"></span>
                        <span class="dot dot-green"></span>
                    </span>
                    <div class="terminal-tabs" role="tablist" aria-label="Example">
                        { example_tab(&example, Example::Curl, "curl", "cURL") }
                        { example_tab(&example, Example::Mcp, "mcp", "MCP client") }
                    </div>
                    { copy }
                </div>
                <pre
                    id="quickstart-panel-curl"
                    class="terminal-code"
                    role="tabpanel"
                    aria-labelledby="quickstart-tab-curl"
                    hidden={!showing_curl}
                    data-testid="quickstart-curl"
                ><code>
                    <span class="tok-command">{ "curl" }</span>
                    { " -X GET \\\n  " }
                    <span class="tok-url">{ url }</span>
                    { " \\\n  -H " }
                    <span class="tok-string">{ "'Authorization: Bearer " }{ token_span() }{ "'" }</span>
                </code></pre>
                <pre
                    id="quickstart-panel-mcp"
                    class="terminal-code"
                    role="tabpanel"
                    aria-labelledby="quickstart-tab-mcp"
                    hidden={showing_curl}
                    data-testid="quickstart-mcp"
                ><code>
                    { "{\n  " }<span class="tok-key">{ "\"mcpServers\"" }</span>{ ": {\n    " }
                    <span class="tok-key">{ "\"startup-hub\"" }</span>{ ": {\n      " }
                    <span class="tok-key">{ "\"url\"" }</span>{ ": " }
                    <span class="tok-string">{ format!("\"{mcp_url}\"") }</span>{ ",\n      " }
                    <span class="tok-key">{ "\"headers\"" }</span>{ ": {\n        " }
                    <span class="tok-key">{ "\"Authorization\"" }</span>{ ": " }
                    <span class="tok-string">{ "\"Bearer " }{ token_span() }{ "\"" }</span>
                    { "\n      }\n    }\n  }\n}" }
                </code></pre>
            </div>
            if showing_curl && props.token.is_none() {
                <p class="field-hint quickstart-hint" data-testid="quickstart-placeholder-note">
                    { "Replace " }<code class="tok-placeholder">{ PLACEHOLDER }</code>
                    { " with a token you generate. A token's full value is shown only once, right after it is created." }
                </p>
            }
            if !showing_curl {
                <p class="field-hint quickstart-hint">
                    { "Add this to your MCP client's configuration. The server at " }
                    <code class="mono">{ mcp_url.clone() }</code>
                    { " speaks Streamable HTTP and checks the token's permissions on every tool call." }
                </p>
            }
        </section>
    }
}

fn example_tab(current: &UseStateHandle<Example>, example: Example, id: &str, label: &str) -> Html {
    let selected = **current == example;
    let other = if example == Example::Curl {
        Example::Mcp
    } else {
        Example::Curl
    };
    let onclick = {
        let current = current.clone();
        Callback::from(move |_: MouseEvent| current.set(example))
    };
    let onkeydown = {
        let current = current.clone();
        Callback::from(move |event: KeyboardEvent| {
            if matches!(event.key().as_str(), "ArrowLeft" | "ArrowRight") {
                event.prevent_default();
                current.set(other);
                let other_id = if other == Example::Curl {
                    "curl"
                } else {
                    "mcp"
                };
                crate::dom::focus_by_id(&format!("quickstart-tab-{other_id}"));
            }
        })
    };

    html! {
        <button
            type="button"
            role="tab"
            id={format!("quickstart-tab-{id}")}
            class={classes!("terminal-tab", selected.then_some("is-selected"))}
            aria-selected={selected.to_string()}
            aria-controls={format!("quickstart-panel-{id}")}
            tabindex={if selected { "0" } else { "-1" }}
            data-testid={format!("quickstart-tab-{id}")}
            {onclick}
            {onkeydown}
        >
            { label.to_owned() }
        </button>
    }
}

fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

fn mcp_config(url: &str, token: &str) -> String {
    format!(
        "{{\n  \"mcpServers\": {{\n    \"startup-hub\": {{\n      \"url\": \"{url}\",\n      \
         \"headers\": {{\n        \"Authorization\": \"Bearer {token}\"\n      }}\n    }}\n  }}\n}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mcp_config_is_valid_json() {
        let config = mcp_config("http://127.0.0.1:8080/mcp", "sh_live_x");

        let parsed: serde_json::Value = serde_json::from_str(&config).expect("valid JSON");

        let server = &parsed["mcpServers"]["startup-hub"];
        assert_eq!(server["url"], "http://127.0.0.1:8080/mcp");
        assert_eq!(server["headers"]["Authorization"], "Bearer sh_live_x");
    }
}
