//! `/docs` (Support): how to use tokens with Startup Hub, searchable through
//! the top bar's "Search docs…" field (`?q=`).

mod content;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::components::app_link::AppLink;
use crate::route::{DocsQuery, Route};
use content::{Block, SECTIONS, Section};

#[component]
pub(crate) fn DocsPage() -> Html {
    let query = use_location()
        .and_then(|location| location.query::<DocsQuery>().ok())
        .map(|query| query.q)
        .unwrap_or_default();
    let words = words(&query);
    let origin = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    let found: Vec<&Section> = SECTIONS
        .iter()
        .filter(|section| matches(section, &words))
        .collect();

    html! {
        <div class="page page-docs">
            <header class="page-header">
                <div class="page-heading">
                    <h1 class="page-title">{ "Docs" }</h1>
                    <p class="page-lead">
                        { "Personal API tokens for Startup Hub: create them, call the API and MCP server with them, and keep them safe." }
                    </p>
                </div>
            </header>
            if !words.is_empty() {
                <p class="search-summary" role="status" data-testid="docs-search-summary">
                    { match found.len() {
                        0 => format!("No sections match “{}”.", query.trim()),
                        1 => format!("1 section matches “{}”.", query.trim()),
                        count => format!("{count} sections match “{}”.", query.trim()),
                    } }
                </p>
            }
            if words.is_empty() {
                <nav class="card docs-toc" aria-label="On this page">
                    <ul>
                        { for SECTIONS.iter().map(|section| html! {
                            <li><a href={format!("#{}", section.id)}>{ section.title }</a></li>
                        }) }
                    </ul>
                </nav>
            }
            { for found.iter().map(|section| render(section, &words, &origin)) }
            if found.is_empty() {
                <p class="field-hint">
                    { "Try fewer words, or go back to " }
                    <AppLink to={Route::ApiTokens}>{ "your tokens" }</AppLink>{ "." }
                </p>
            }
        </div>
    }
}

fn words(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

/// Every word of the query appears in the section's title or text.
fn matches(section: &Section, words: &[String]) -> bool {
    let text = section.searchable().to_lowercase();
    words.iter().all(|word| text.contains(word.as_str()))
}

fn render(section: &Section, words: &[String], origin: &str) -> Html {
    html! {
        <section id={section.id} class="card docs-section" data-testid="docs-section">
            <h2 class="card-title">{ highlight(section.title, words) }</h2>
            { for section.blocks.iter().map(|block| match block {
                Block::Text(text) => html! { <p class="docs-text">{ highlight(text, words) }</p> },
                Block::Code(code) => html! {
                    <pre class="code-block"><code>{ code.replace("{origin}", origin) }</code></pre>
                },
            }) }
        </section>
    }
}

/// Wraps the query words in `<mark>`. Matching ignores ASCII case only, which
/// keeps byte offsets identical between the text and its lowered copy.
fn highlight(text: &str, words: &[String]) -> Html {
    let ranges = match_ranges(text, words);
    let mut parts = Vec::new();
    let mut at = 0;
    for (start, end) in ranges {
        parts.push(html! { { &text[at..start] } });
        parts.push(html! { <mark>{ &text[start..end] }</mark> });
        at = end;
    }
    parts.push(html! { { &text[at..] } });
    html! { { for parts } }
}

fn match_ranges(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let lowered = text.to_ascii_lowercase();
    let mut ranges: Vec<(usize, usize)> = words
        .iter()
        .filter(|word| !word.is_empty())
        .flat_map(|word| {
            lowered
                .match_indices(word.as_str())
                .map(move |(start, found)| (start, start + found.len()))
        })
        .filter(|&(start, end)| text.is_char_boundary(start) && text.is_char_boundary(end))
        .collect();
    ranges.sort_unstable();

    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_matches_merge() {
        let words = vec!["tok".to_owned(), "token".to_owned()];

        assert_eq!(match_ranges("A Token here", &words), vec![(2, 7)]);
    }

    #[test]
    fn search_finds_sections_by_every_word() {
        let words = words("  Retry-After  limit ");

        let found: Vec<&str> = SECTIONS
            .iter()
            .filter(|s| matches(s, &words))
            .map(|s| s.id)
            .collect();

        assert_eq!(found, vec!["limits"]);
    }
}
