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

#[component]
pub(crate) fn Quickstart(props: &QuickstartProps) -> Html {
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
                    <CopyButton text={curl} label="Copy curl command" testid="copy-curl" class="terminal-copy" />
                </div>
                <pre class="terminal-code" data-testid="quickstart-curl"><code>
                    <span class="tok-command">{ "curl" }</span>
                    { " -X GET \\\n  " }
                    <span class="tok-url">{ url }</span>
                    { " \\\n  -H " }
                    <span class="tok-string">{ "'Authorization: Bearer " }{ token_span() }{ "'" }</span>
                </code></pre>
            </div>
            if props.token.is_none() {
                <p class="field-hint quickstart-hint" data-testid="quickstart-placeholder-note">
                    { "Replace " }<code class="tok-placeholder">{ PLACEHOLDER }</code>
                    { " with a token you generate. A token's full value is shown only once, right after it is created." }
                </p>
            }
            <h3 class="subsection-title">{ "MCP clients" }</h3>
            <p class="card-lead">
                { "Point any MCP client that speaks Streamable HTTP at " }
                <code class="mono">{ mcp_url.clone() }</code>
                { " and send the same header:" }
            </p>
            <div class="terminal">
                <div class="terminal-bar">
                    <span class="terminal-file">{ "mcp.json" }</span>
                    <CopyButton text={config} label="Copy MCP configuration" testid="copy-mcp" class="terminal-copy" />
                </div>
                <pre class="terminal-code" data-testid="quickstart-mcp"><code>
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
        </section>
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
