use super::*;
use serde_json::json;

fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"key": []}],
        "paths": {
            "/pets/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {
                    "responses": {
                        "200": {"$ref": "#/components/responses/PetResponse"},
                        "default": {"description": "error", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                            "examples": {"scim": {"$ref": "#/components/examples/Scim"}}
                        }}}
                    }
                },
                "put": {
                    "requestBody": {"$ref": "#/components/requestBodies/PetBody"},
                    "responses": {"204": {"description": "done"}}
                }
            },
            "/owners": {
                "get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Owner"}
                }}}}}
            },
            "/again": {
                "get": {"responses": {"200": {"$ref": "#/paths/~1owners/get/responses/200"}}}
            }
        },
        "components": {
            "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "x-key"}},
            "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Id"}}},
            "responses": {"PetResponse": {"description": "a pet", "headers": {"x-rate": {"$ref": "#/components/headers/Rate"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            "requestBodies": {"PetBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}},
            "headers": {"Rate": {"schema": {"$ref": "#/components/schemas/Count"}}},
            "examples": {"Scim": {"value": {"schemas": ["urn:scim"], "meta": {"$ref": "https://api.github.com/scim/v2/Users/1"}}}},
            "schemas": {
                "Id": {"type": "string"},
                "Count": {"type": "integer"},
                "Error": {"type": "object", "properties": {"code": {"type": "integer"}},
                          "example": {"code": 1, "link": {"$ref": "elsewhere"}}},
                "Pet": {"type": "object", "properties": {"owner": {"$ref": "#/components/schemas/Owner"},
                        "kind": {"oneOf": [{"$ref": "#/components/schemas/Cat"}], "discriminator": {"propertyName": "k", "mapping": {"d": "Dog"}}}}},
                "Owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}},
                "Cat": {"type": "object"},
                "Dog": {"type": "object"},
                "Unused": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/AlsoUnused"}}},
                "AlsoUnused": {"type": "string"}
            }
        }
    })
}

fn names(slice: &Slice, kind: &str) -> Vec<String> {
    let mut names: Vec<String> = slice.document["components"][kind]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_slice_holds_its_operation_and_the_closure_of_its_refs() {
    let doc = spec();
    let slice = slice(&doc, &[OperationRef::new("/pets/{id}", "get")]).unwrap();
    let d = &slice.document;
    assert_eq!(d["servers"], doc["servers"]);
    assert_eq!(d["security"], doc["security"]);
    assert_eq!(d["info"], doc["info"]);
    let item = d["paths"]["/pets/{id}"].as_object().unwrap();
    let mut keys: Vec<&String> = item.keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["get", "parameters"],
        "the path-level parameters, not the other method"
    );
    assert_eq!(d["paths"].as_object().unwrap().len(), 1);
    assert_eq!(
        names(&slice, "schemas"),
        ["Cat", "Dog", "Error", "Id", "Owner", "Pet", "Count"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(names(&slice, "parameters"), ["Id"]);
    assert_eq!(names(&slice, "responses"), ["PetResponse"]);
    assert_eq!(names(&slice, "headers"), ["Rate"]);
    assert_eq!(names(&slice, "examples"), ["Scim"]);
    assert_eq!(names(&slice, "securitySchemes"), ["key"]);
    assert!(names(&slice, "requestBodies").is_empty());
}

#[test]
fn example_data_holding_ref_keys_is_dropped_and_listed() {
    let slice = slice(&spec(), &[OperationRef::new("/pets/{id}", "get")]).unwrap();
    let mut dropped = slice.dropped.clone();
    dropped.sort();
    assert_eq!(
        dropped,
        [
            "/components/examples/Scim/value",
            "/components/schemas/Error/example"
        ]
    );
    assert!(
        slice
            .document
            .pointer("/components/examples/Scim/value")
            .is_none()
    );
    assert_eq!(
        refs::refs_in_data(&slice.document, Place::Structure),
        Vec::<String>::new()
    );
    // Every `$ref` left resolves inside the slice.
    for reference in refs::references(&slice.document, Place::Structure) {
        assert!(
            document::resolve(&slice.document, &reference).is_some(),
            "{reference} dangles"
        );
    }
}

#[test]
fn refs_into_other_paths_are_relocated_and_refs_into_own_paths_kept() {
    let doc = spec();
    let slice = slice(&doc, &[OperationRef::new("/again", "get")]).unwrap();
    assert_eq!(
        slice.document["paths"]["/again"]["get"]["responses"]["200"]["$ref"],
        "#/x-slice-refs/0"
    );
    assert_eq!(
        slice.document[RELOCATED]["0"],
        doc.pointer("/paths/~1owners/get/responses/200")
            .unwrap()
            .clone()
    );
    assert!(slice.document["paths"].get("/owners").is_none());
    assert_eq!(
        names(&slice, "schemas"),
        ["Owner", "Pet", "Cat", "Dog"]
            .iter()
            .map(|s| s.to_string())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
    );
    let both = slice_of(
        &doc,
        &[
            OperationRef::new("/again", "get"),
            OperationRef::new("/owners", "get"),
        ],
    );
    assert_eq!(
        both.document["paths"]["/again"]["get"]["responses"]["200"]["$ref"],
        "#/paths/~1owners/get/responses/200"
    );
    assert!(both.document.get(RELOCATED).is_none());
}

fn slice_of(doc: &Value, ops: &[OperationRef]) -> Slice {
    slice(doc, ops).unwrap()
}

#[test]
fn slices_group_operations_in_document_order_and_bad_refs_are_errors() {
    let doc = spec();
    let groups = slices(&doc, 2).unwrap();
    let ops: Vec<Vec<String>> = groups
        .iter()
        .map(|s| s.operations.iter().map(|o| o.to_string()).collect())
        .collect();
    assert_eq!(
        ops,
        [
            vec!["GET /pets/{id}", "PUT /pets/{id}"],
            vec!["GET /owners", "GET /again"]
        ]
    );
    let mut broken = doc.clone();
    broken["paths"]["/owners"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        ["$ref"] = json!("other.yaml#/Owner");
    let err = slice(&broken, &[OperationRef::new("/owners", "get")]).unwrap_err();
    assert!(err.contains("not a reference inside the document"), "{err}");
}

#[test]
fn a_whole_document_is_neutralized_the_same_way() {
    let (doc, dropped) = neutralize(&spec());
    assert_eq!(dropped.len(), 2);
    assert!(!refs::refs_in_data(&spec(), Place::Structure).is_empty());
    assert_eq!(
        refs::refs_in_data(&doc, Place::Structure),
        Vec::<String>::new()
    );
    assert!(doc.pointer("/components/schemas/Unused").is_some());
}

#[test]
fn a_path_key_with_a_fragment_is_sliced_as_sent_and_kept_apart_from_its_twins() {
    let ok = json!({"responses": {"204": {"description": "done"}}});
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "s3", "version": "1"},
        "paths": {
            "/{Bucket}": {"get": ok.clone()},
            "/{Bucket}#cors": {"get": ok.clone(), "put": ok.clone()},
            "/{Bucket}#policy": {"get": ok.clone()},
        }
    });
    let groups = slices(&doc, 10).unwrap();
    let ops: Vec<Vec<String>> = groups
        .iter()
        .map(|s| s.operations.iter().map(|o| o.to_string()).collect())
        .collect();
    assert_eq!(
        ops,
        [
            vec!["GET /{Bucket}"],
            vec!["GET /{Bucket}#cors", "PUT /{Bucket}#cors"],
            vec!["GET /{Bucket}#policy"],
        ]
    );
    let paths: Vec<&String> = groups[1].document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(paths, ["/{Bucket}"]);
}

#[test]
fn a_mapping_that_runs_through_a_ref_under_its_own_operation_is_kept() {
    // pagerduty: a discriminator mapping points into the operation's own
    // response, through the `$ref` of its `items`.
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/fields": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Field"}}}
        }}}}}},
        "components": {"schemas": {"Field": {
            "oneOf": [{"type": "object", "properties": {"kind": {"type": "string"}}}],
            "discriminator": {"propertyName": "kind", "mapping": {
                "text": "#/paths/~1fields/get/responses/200/content/application~1json/schema/items/oneOf/0"
            }}
        }}}
    });
    let groups = slices(&doc, 10).unwrap();
    assert_eq!(groups.len(), 1);
    assert!(
        groups[0]
            .document
            .pointer("/components/schemas/Field")
            .is_some()
    );
}

#[test]
fn an_expandable_field_keeps_its_id_branch_and_stops_reaching_what_it_names() {
    // Stripe: `customer` is an id or the customer object it names.
    let doc = json!({
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/v1/charges": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/charge"}}
        }}}}}},
        "components": {"schemas": {
            "charge": {"type": "object", "properties": {
                "customer": {
                    "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/customer"}],
                    "nullable": true,
                    "x-expansionResources": {"oneOf": [{"$ref": "#/components/schemas/customer"}]}
                },
                "all_refs": {
                    "anyOf": [{"$ref": "#/components/schemas/source"}],
                    "x-expansionResources": {"oneOf": [{"$ref": "#/components/schemas/source"}]}
                }
            }},
            "customer": {"type": "object", "properties": {"id": {"type": "string"}}},
            "source": {"type": "object"}
        }}
    });
    let slice = slice_of(&doc, &[OperationRef::new("/v1/charges", "get")]);
    let customer = &slice.document["components"]["schemas"]["charge"]["properties"]["customer"];
    assert_eq!(customer["anyOf"], json!([{"type": "string"}]));
    assert_eq!(customer["nullable"], true);
    assert!(customer.get("x-expansionResources").is_none());
    // An `anyOf` of `$ref`s only keeps them: it needs a branch.
    assert!(
        slice
            .document
            .pointer("/components/schemas/source")
            .is_some()
    );
    // What only the expansion reached is not in the slice.
    assert!(
        slice
            .document
            .pointer("/components/schemas/customer")
            .is_none()
    );
    assert_eq!(
        slice.narrowed,
        ["/components/schemas/charge/properties/customer"]
    );
    // Unmarked documents are untouched.
    let (whole, changed) = neutralize(&spec());
    assert!(changed.iter().all(|p| !p.contains("anyOf")));
    assert_eq!(whole["paths"], spec()["paths"]);
}
