//! The server over plain HTTP, as a script would use it: sign in with a cookie, create,
//! list and revoke tokens, and call the agents' API with a bearer token.

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A signed-in HTTP session (cookie store) against one server.
#[derive(Debug, Clone)]
pub struct Api {
    client: Client,
    base: String,
}

impl Api {
    /// Signs in as `email` through `POST /auth/login`.
    ///
    /// # Panics
    ///
    /// When the sign-in is refused.
    pub async fn sign_in(base: &str, email: &str, password: &str) -> Api {
        let client = Client::builder()
            .cookie_store(true)
            .build()
            .expect("an HTTP client");
        let api = Api {
            client,
            base: base.to_owned(),
        };

        let response = api
            .client
            .post(api.url("/auth/login"))
            .json(&json!({ "email": email, "password": password }))
            .send()
            .await
            .expect("POST /auth/login answers");
        assert_eq!(response.status(), StatusCode::OK, "signing in as {email}");
        api
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Creates a token named `name` with `permissions`; returns the creation response,
    /// plaintext included.
    ///
    /// # Panics
    ///
    /// When the server does not answer 201.
    pub async fn create_token(&self, name: &str, permissions: &[&str]) -> Value {
        let response = self
            .client
            .post(self.url("/api/tokens"))
            .json(&json!({ "name": name, "permissions": permissions }))
            .send()
            .await
            .expect("POST /api/tokens answers");
        let status = response.status();
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(status, StatusCode::CREATED, "creating {name:?}: {body}");
        body
    }

    /// Revokes the token with `id`.
    ///
    /// # Panics
    ///
    /// When the server does not answer 204.
    pub async fn revoke(&self, id: &str) {
        let response = self
            .client
            .delete(self.url(&format!("/api/tokens/{id}")))
            .send()
            .await
            .expect("DELETE /api/tokens/{id} answers");
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "revoking {id}");
    }

    /// The first page of up to 100 tokens: `{"tokens": [...], "total", …}`.
    ///
    /// # Panics
    ///
    /// When the list cannot be read.
    pub async fn list(&self) -> Value {
        let response = self
            .client
            .get(self.url("/api/tokens?page=1&per_page=100"))
            .send()
            .await
            .expect("GET /api/tokens answers");
        assert_eq!(response.status(), StatusCode::OK, "listing tokens");
        response.json().await.expect("a JSON token list")
    }

    /// Every token of the first page of the list.
    pub async fn tokens(&self) -> Vec<Value> {
        match self.list().await.get_mut("tokens").map(Value::take) {
            Some(Value::Array(tokens)) => tokens,
            other => panic!("the token list has no tokens array: {other:?}"),
        }
    }

    /// `GET /api/mcp/projects` with `token` as the bearer token: the status and body.
    ///
    /// # Panics
    ///
    /// When the server does not answer.
    pub async fn projects_with(&self, token: &str) -> (StatusCode, String) {
        let response = Client::new()
            .get(self.url("/api/mcp/projects"))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET /api/mcp/projects answers");
        let status = response.status();
        (status, response.text().await.unwrap_or_default())
    }
}
