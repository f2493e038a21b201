//! The text of the docs page. `{origin}` in code is replaced by the address
//! the dashboard is served from, so every example works as pasted.

pub(super) enum Block {
    Text(&'static str),
    Code(&'static str),
}

pub(super) struct Section {
    pub(super) id: &'static str,
    pub(super) title: &'static str,
    pub(super) blocks: &'static [Block],
}

impl Section {
    pub(super) fn searchable(&self) -> String {
        let mut text = self.title.to_owned();
        for block in self.blocks {
            let (Block::Text(part) | Block::Code(part)) = block;
            text.push('\n');
            text.push_str(part);
        }
        text
    }
}

pub(super) const SECTIONS: &[Section] = &[
    Section {
        id: "getting-started",
        title: "Getting started",
        blocks: &[
            Block::Text(
                "Open Settings › API Tokens and choose Generate New Token. Give the token a name \
                 you will recognise later (for example the machine or agent that uses it), pick \
                 its permissions and when it should expire.",
            ),
            Block::Text(
                "The full token is shown exactly once, right after it is created. Copy it into \
                 your password manager, secret store or client configuration before you dismiss \
                 the message. Afterwards only its prefix is shown and the value cannot be \
                 retrieved; if it is lost, revoke it and generate a new one.",
            ),
        ],
    },
    Section {
        id: "authentication",
        title: "Authenticating requests",
        blocks: &[
            Block::Text(
                "Send the token in the Authorization header with the Bearer scheme. Tokens look \
                 like sh_live_ followed by 32 letters and digits.",
            ),
            Block::Code(
                "curl -X GET \\\n  {origin}/api/mcp/projects \\\n  -H 'Authorization: Bearer YOUR_TOKEN'",
            ),
            Block::Text(
                "A missing header answers 401 with the code MISSING_TOKEN. A wrong, revoked or \
                 expired token answers 401 with INVALID_TOKEN; the answer is the same in every \
                 case so it reveals nothing about the token.",
            ),
        ],
    },
    Section {
        id: "permissions",
        title: "Permissions",
        blocks: &[
            Block::Text(
                "read lists and shows projects (GET /api/mcp/projects and GET \
                 /api/mcp/projects/{id}). create adds projects (POST /api/mcp/projects). update \
                 edits them (PUT /api/mcp/projects/{id}). delete removes them (DELETE \
                 /api/mcp/projects/{id}).",
            ),
            Block::Text(
                "New tokens get read unless you choose otherwise. A call that needs a permission \
                 the token lacks answers 403 with INSUFFICIENT_PERMISSIONS. Give each token only \
                 what its job needs.",
            ),
        ],
    },
    Section {
        id: "expiry",
        title: "Expiry and inactivity",
        blocks: &[
            Block::Text(
                "A token can expire after 7, 30, 60 or 90 days, on a date you choose, or never. \
                 Independently, a token that goes unused for the inactivity period (90 days \
                 unless the server is configured otherwise) expires on its own; the API Tokens \
                 page states the period in force.",
            ),
            Block::Text(
                "The bell in the top bar lists your active tokens that expire within seven days, \
                 so you can replace them in time.",
            ),
        ],
    },
    Section {
        id: "revoking",
        title: "Revoking a token",
        blocks: &[Block::Text(
            "Use the trash button on a token's row and confirm. A revoked token is refused from \
             the next request on, including on other servers sharing the same database within \
             their revalidation interval. Revoking cannot be undone; the row stays in the list \
             with a Revoked badge so you keep a record of it.",
        )],
    },
    Section {
        id: "limits",
        title: "Limits",
        blocks: &[
            Block::Text(
                "You can hold at most 10 active tokens (the server may configure another number). \
                 The eleventh is refused with TOKEN_LIMIT_REACHED: revoke one you no longer need.",
            ),
            Block::Text(
                "Each token may make 100 requests a minute by default. Past that the server \
                 answers 429 with a Retry-After header saying how many seconds to wait.",
            ),
        ],
    },
    Section {
        id: "mcp",
        title: "Connecting an MCP client",
        blocks: &[
            Block::Text(
                "Startup Hub runs a Model Context Protocol server at /mcp over Streamable HTTP. \
                 Its tools list, read, create, update and delete projects, each checking the \
                 token's permission. Most clients accept a configuration like this one:",
            ),
            Block::Code(
                "{\n  \"mcpServers\": {\n    \"startup-hub\": {\n      \"url\": \"{origin}/mcp\",\n      \
                 \"headers\": {\n        \"Authorization\": \"Bearer YOUR_TOKEN\"\n      }\n    }\n  }\n}",
            ),
        ],
    },
    Section {
        id: "errors",
        title: "Errors",
        blocks: &[
            Block::Text(
                "Every error body is JSON with a message for people and a code for programs, \
                 for example {\"error\": \"Invalid or expired token\", \"code\": \"INVALID_TOKEN\"}.",
            ),
            Block::Text(
                "Codes: MISSING_TOKEN (401), INVALID_TOKEN (401), INSUFFICIENT_PERMISSIONS (403), \
                 NOT_FOUND (404), TOKEN_LIMIT_REACHED (409), VALIDATION_ERROR (422), RATE_LIMITED \
                 (429), STORE_UNAVAILABLE (503, the token may be fine: retry later).",
            ),
        ],
    },
    Section {
        id: "safety",
        title: "Keeping tokens safe",
        blocks: &[Block::Text(
            "Treat tokens like passwords. The server stores only a bcrypt hash, never the token; \
             this dashboard keeps the new value in memory only until you dismiss it, and never in \
             browser storage or the address bar. Do not commit tokens to source control; if one \
             leaks, revoke it at once.",
        )],
    },
];
