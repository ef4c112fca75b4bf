//! Enums: `enum` values → variants, named by `x-enum-varnames` or from the
//! values themselves, open (an `Unknown` variant) unless `x-enum-open: false`.
//! A file of its own because two spec extensions steer it, and values that are
//! not identifiers (`-1`, `+created`, the empty string) need names made up.

use openapiv3::Schema;

use super::*;
use crate::diagnostic::join;
use crate::model::names::{Namespace, to_type_name};

impl<'a> Builder<'a> {
    pub(super) fn enum_def(
        &mut self,
        schema: &Schema,
        values: Vec<EnumValue>,
        repr: EnumRepr,
        pointer: &str,
    ) -> EnumDef {
        let extensions = &schema.schema_data.extensions;
        let open = match extensions.get(ENUM_OPEN_EXTENSION) {
            None => true,
            Some(serde_json::Value::Bool(open)) => *open,
            Some(_) => {
                self.error(
                    &join(pointer, ENUM_OPEN_EXTENSION),
                    format!("`{ENUM_OPEN_EXTENSION}` must be `true` or `false`"),
                );
                true
            }
        };
        let spec_names: Option<Vec<String>> = match extensions.get(ENUM_NAMES_EXTENSION) {
            None => None,
            Some(value) => match serde_json::from_value::<Vec<String>>(value.clone()) {
                Ok(names) if names.len() == values.len() => Some(names),
                Ok(names) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!(
                            "`{ENUM_NAMES_EXTENSION}` has {} names for {} enum values",
                            names.len(),
                            values.len()
                        ),
                    );
                    None
                }
                Err(_) => {
                    self.error(
                        &join(pointer, ENUM_NAMES_EXTENSION),
                        format!("`{ENUM_NAMES_EXTENSION}` must be a list of strings"),
                    );
                    None
                }
            },
        };
        let mut names = Namespace::default();
        if open {
            names.claim("Unknown");
        }
        let variants = values
            .into_iter()
            .enumerate()
            .map(|(i, value)| {
                let spec_name = spec_names.as_ref().map(|n| n[i].clone());
                let wanted = match (&spec_name, &value) {
                    (Some(name), _) => to_type_name(name),
                    (None, EnumValue::String(s)) if s.is_empty() => "Empty".to_owned(),
                    (None, EnumValue::String(s)) if s.starts_with('-') => {
                        format!("Minus{}", to_type_name(s))
                    }
                    (None, EnumValue::String(s)) if s.starts_with('+') => {
                        format!("Plus{}", to_type_name(s))
                    }
                    (None, EnumValue::String(s)) => to_type_name(s),
                    (None, EnumValue::Integer(n)) if *n < 0 => format!("Minus{}", n.unsigned_abs()),
                    (None, EnumValue::Integer(n)) => format!("Value{n}"),
                };
                EnumVariant {
                    rust_name: names.claim(&wanted),
                    value,
                    spec_name,
                    description: None,
                }
            })
            .collect();
        EnumDef {
            variants,
            open,
            repr,
        }
    }
}
