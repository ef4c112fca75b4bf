//! Operations → a tree of resources (`client.chats().typing().start(..)`).
//! Apart from `operations.rs` because it runs once over every operation:
//! method names are made unique within each resource, a child resource's
//! accessor keeps its name, and resources nest deepest first.

use indexmap::IndexMap;

use super::*;
use crate::model::names::{self, Namespace, to_snake_name, to_type_name};

impl<'a> Builder<'a> {
    /// Places operations in a tree of resources, in the order they first appear.
    pub(super) fn resource_tree(&mut self, grouped: Vec<Grouped>) -> Vec<Resource> {
        let mut by_path: IndexMap<Vec<String>, Vec<Grouped>> = IndexMap::new();
        for mut op in grouped {
            // Top-level accessors are methods of `Client`, beside its own,
            // and name the resource's file, which must not be one the
            // crate reserves (`resources/mod.rs`).
            if CLIENT_METHODS.contains(&op.resource[0].as_str())
                || names::is_reserved_file_stem(&op.resource[0])
            {
                op.resource[0] = format!("{}_resource", op.resource[0].trim_start_matches("r#"));
            }
            for depth in 1..op.resource.len() {
                by_path.entry(op.resource[..depth].to_vec()).or_default();
            }
            by_path.entry(op.resource.clone()).or_default().push(op);
        }
        let tag_docs: IndexMap<String, Option<String>> = self
            .doc
            .tags
            .iter()
            .map(|tag| (to_snake_name(&tag.name), tag.description.clone()))
            .collect();
        let mut resource_types = Namespace::default();
        resource_types.claim("Client");
        let child_names: Vec<(Vec<String>, String)> = by_path
            .keys()
            .filter(|path| path.len() > 1)
            .map(|path| {
                (
                    path[..path.len() - 1].to_vec(),
                    path[path.len() - 1].clone(),
                )
            })
            .collect();
        let mut flat: Vec<Resource> = by_path
            .into_iter()
            .map(|(path, ops)| {
                let mut method_names = Namespace::default();
                for (parent, child) in &child_names {
                    if *parent == path {
                        method_names.claim(child);
                    }
                }
                let mut operations = Vec::new();
                // Child accessors come first: a child resource keeps its name.
                let mut seen: Vec<(String, String)> = Vec::new();
                for op in ops {
                    let name = method_names.claim(&op.wanted_name);
                    let is_child = child_names.iter().any(|(parent, child)| *parent == path && *child == op.wanted_name);
                    if name != op.wanted_name && is_child {
                        self.warning(
                            &op.pointer,
                            format!("operation `{}` of resource `{}` has the name of a child resource; it is `{name}`", op.wanted_name, path.join(".")),
                        )
                        .hint = Some(format!("set `{METHOD_EXTENSION}` to choose a name"));
                    } else if name != op.wanted_name {
                        let first = seen.iter().find(|(n, _)| *n == op.wanted_name).map(|(_, p)| p.clone());
                        let warning = self.warning(
                            &op.pointer,
                            format!("two operations of resource `{}` are both named `{}`; this one is `{name}`", path.join("."), op.wanted_name),
                        );
                        warning.hint = first.map(|p| format!("the first one is at {p}; set `{METHOD_EXTENSION}` to choose names"));
                    }
                    seen.push((op.wanted_name.clone(), op.pointer.clone()));
                    let mut operation = op.operation;
                    operation.method_name = name;
                    operations.push(operation);
                }
                // Streaming methods are named after every operation is: a
                // `createStream` of the spec keeps its name beside `create_stream`.
                for operation in &mut operations {
                    if let Some(events) = &mut operation.events {
                        events.method_name = match events.only {
                            true => operation.method_name.clone(),
                            false => method_names.claim(&format!("{}_stream", operation.method_name.trim_start_matches("r#"))),
                        };
                    }
                }
                let description = if path.len() == 1 { tag_docs.get(&path[0]).cloned().flatten() } else { None };
                Resource {
                    type_name: resource_types.claim(&to_type_name(&path.join(" "))),
                    path,
                    description,
                    operations,
                    children: Vec::new(),
                }
            })
            .collect();
        // Nest: deepest first, so that each child is complete when it moves into its parent.
        flat.sort_by_key(|r| std::cmp::Reverse(r.path.len()));
        let mut roots: Vec<Resource> = Vec::new();
        let mut pending: Vec<Resource> = Vec::new();
        for resource in flat {
            let (children, rest): (Vec<_>, Vec<_>) = pending
                .into_iter()
                .partition(|child| child.path[..child.path.len() - 1] == resource.path[..]);
            pending = rest;
            let mut resource = resource;
            resource.children = children;
            if resource.path.len() == 1 {
                roots.push(resource);
            } else {
                pending.push(resource);
            }
        }
        roots.sort_by_key(|r| r.type_name.clone());
        roots
    }
}

/// The methods of the generated `Client`: no resource accessor may take their names.
const CLIENT_METHODS: &[&str] = &["builder", "from_env", "base_url", "clone", "fmt", "inner"];
