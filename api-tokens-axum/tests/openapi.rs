//! The OpenAPI document: every operation with its bodies and errors, valid OpenAPI 3.1.

use serde_json::{Value, json};

fn document() -> Value {
    let json = api_tokens_axum::openapi()
        .to_json()
        .expect("the document serializes");
    serde_json::from_str(&json).expect("the document is JSON")
}

fn schema_ref(media: &Value) -> &str {
    media["schema"]["$ref"].as_str().unwrap_or_default()
}

/// Every `$ref` in `value`, wherever it is.
fn refs(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, nested) in map {
                match (key.as_str(), nested) {
                    ("$ref", Value::String(target)) => found.push(target.clone()),
                    _ => refs(nested, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
        _ => {}
    }
}

#[test]
fn tc_token_097_openapi_describes_every_operation_and_error() {
    let doc = document();
    let paths = &doc["paths"];
    let create = &paths["/api/tokens"]["post"];
    let list = &paths["/api/tokens"]["get"];
    let revoke = &paths["/api/tokens/{id}"]["delete"];
    let policy = &paths["/api/tokens/policy"]["get"];
    let error = "#/components/schemas/ErrorBody";

    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.1")
    );
    assert_eq!(
        schema_ref(&create["requestBody"]["content"]["application/json"]),
        "#/components/schemas/CreateTokenRequest"
    );
    assert_eq!(create["requestBody"]["required"], true);
    let created = &create["responses"]["201"];
    assert_eq!(
        schema_ref(&created["content"]["application/json"]),
        "#/components/schemas/CreatedTokenResponse"
    );
    assert!(created["headers"]["Cache-Control"].is_object());
    for status in ["400", "401", "409", "413", "415", "422", "503"] {
        assert_eq!(
            schema_ref(&create["responses"][status]["content"]["application/json"]),
            error,
            "POST {status}"
        );
    }

    assert_eq!(
        schema_ref(&list["responses"]["200"]["content"]["application/json"]),
        "#/components/schemas/TokenListResponse"
    );
    let params: Vec<&Value> = list["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let names: Vec<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["page", "per_page"]);
    assert!(params.iter().all(|p| p["in"] == "query"));
    for status in ["401", "422", "503"] {
        assert_eq!(
            schema_ref(&list["responses"][status]["content"]["application/json"]),
            error,
            "GET {status}"
        );
    }

    assert!(revoke["responses"]["204"].is_object());
    assert_eq!(revoke["parameters"][0]["name"], "id");
    assert_eq!(revoke["parameters"][0]["in"], "path");
    for status in ["401", "404", "503"] {
        assert_eq!(
            schema_ref(&revoke["responses"][status]["content"]["application/json"]),
            error,
            "DELETE {status}"
        );
    }
    assert_eq!(
        schema_ref(&policy["responses"]["200"]["content"]["application/json"]),
        "#/components/schemas/TokenPolicyResponse"
    );

    for operation in [create, list, revoke, policy] {
        assert_eq!(operation["security"], json!([{ "session": [] }]));
    }
}

#[test]
fn tc_token_097_openapi_components_hold_the_schemas_and_security_schemes() {
    let doc = document();
    let components = &doc["components"];
    let error = &components["schemas"]["ErrorBody"];
    let token = &components["schemas"]["TokenResponse"];

    let mut required: Vec<&str> = error["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["code", "error"]);
    assert!(error["properties"]["field"].is_object());
    assert_eq!(token["required"].as_array().map(Vec::len), Some(10));
    assert_eq!(
        components["schemas"]["TokenStatus"]["enum"],
        json!(["active", "revoked", "expired"])
    );
    assert_eq!(
        components["securitySchemes"]["session"],
        json!({
            "type": "apiKey",
            "in": "cookie",
            "name": "id",
            "description": components["securitySchemes"]["session"]["description"]
        })
    );
    assert_eq!(components["securitySchemes"]["bearer"]["type"], "http");
    assert_eq!(components["securitySchemes"]["bearer"]["scheme"], "bearer");

    let mut targets = Vec::new();
    refs(&doc, &mut targets);
    assert!(!targets.is_empty());
    for target in targets {
        let name = target.trim_start_matches("#/components/schemas/");
        assert!(components["schemas"][name].is_object(), "dangling {target}");
    }
}

#[test]
fn tc_token_097_the_session_cookie_name_is_configurable() {
    let doc = api_tokens_axum::openapi_with_session_cookie("startup_hub_session");

    let json: Value = serde_json::from_str(&doc.to_json().expect("serializes")).expect("JSON");

    assert_eq!(
        json["components"]["securitySchemes"]["session"]["name"],
        "startup_hub_session"
    );
}

#[test]
fn tc_token_098_openapi_validates_against_the_official_3_1_schema() {
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/openapi-3.1-schema.json")).expect("JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the OpenAPI 3.1 schema compiles");
    let doc = document();

    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();

    assert!(errors.is_empty(), "{errors:#?}");
    // The OpenAPI schema checks Schema Objects only for being objects; check them as
    // JSON Schema 2020-12, the base of the OpenAPI 3.1 dialect.
    let schemas = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    assert!(schemas.len() >= 7);
    for (name, schema) in schemas {
        let result = jsonschema::draft202012::meta::validate(&schema);
        assert!(result.is_ok(), "{name}: {result:?}");
    }
}

#[test]
fn tc_token_098_the_validator_catches_a_broken_document() {
    let schema: Value =
        serde_json::from_str(include_str!("fixtures/openapi-3.1-schema.json")).expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let mut doc = document();

    doc["paths"]["/api/tokens"]["post"]["responses"]["201"]
        .as_object_mut()
        .expect("a response object")
        .remove("description");
    doc["openapi"] = json!("3.0.3");

    assert!(validator.iter_errors(&doc).count() >= 2);
}
