//! Large values are boxed. A type that holds others by value is as large as
//! all of them together: bunq's `EventObject` names some fifty payloads and
//! took 90 KB inline, which a debug build's decoder copies from frame to
//! frame until a 2 MB (tokio worker) or 8 MB (main) thread stack overflows,
//! an abort no `Result` reports. A field or union variant whose type would
//! take more than [`BOX_ABOVE`] bytes inline holds it in a `Box` instead,
//! as clippy's `large_enum_variant` asks of enums; smaller ones stay inline.

use std::collections::HashMap;

use crate::model::{TypeDef, TypeKind, TypeRef};

/// Bytes above which a field's or variant's type is boxed: clippy's
/// `large_enum_variant` warns past 200, its `large_types_passed_by_value`
/// past 256.
pub(super) const BOX_ABOVE: usize = 256;

/// Boxes every field and union variant whose named type is larger than
/// [`BOX_ABOVE`]. Runs after [`super::recursion::break_cycles`], so the
/// types held by value form no cycle.
pub(super) fn box_large(types: &mut [TypeDef]) {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // Sized in an order where every type held by value is sized first: a
    // type's size is its parts', so boxing its parts first shrinks it.
    let mut sizes: Vec<Option<usize>> = vec![None; types.len()];
    for root in 0..types.len() {
        size_of(root, types, &index, &mut sizes);
    }
    let large = |ty: &TypeRef, sizes: &[Option<usize>]| match ty {
        TypeRef::Named(name) => index
            .get(name.as_str())
            .and_then(|&i| sizes[i])
            .is_some_and(|size| size > BOX_ABOVE),
        _ => false,
    };
    let boxes: Vec<Vec<bool>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|f| !f.flatten && large(&f.ty, &sizes))
                .collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .map(|v| large(&v.ty, &sizes))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    for (def, boxes) in types.iter_mut().zip(boxes) {
        match &mut def.kind {
            TypeKind::Struct { fields } => {
                for (field, large) in fields.iter_mut().zip(boxes) {
                    field.boxed |= large;
                }
            }
            TypeKind::Union(union) => {
                for (variant, large) in union.variants.iter_mut().zip(boxes) {
                    variant.boxed |= large;
                }
            }
            _ => {}
        }
    }
}

/// The inline size of a type once its large parts are boxed (an estimate
/// for a 64-bit target: what matters is which types are large, not the
/// byte). Iterative, so that a long chain of types cannot overflow the
/// generator's own stack.
fn size_of(
    root: usize,
    types: &[TypeDef],
    index: &HashMap<&str, usize>,
    sizes: &mut [Option<usize>],
) {
    if sizes[root].is_some() {
        return;
    }
    // Depth first: (type, its next part to size). A part on the path
    // already is a cycle `break_cycles` boxed elsewhere.
    let mut on_path = vec![false; types.len()];
    let mut work = vec![(root, 0)];
    on_path[root] = true;
    while let Some(&mut (node, ref mut next)) = work.last_mut() {
        let parts: Vec<usize> = held(&types[node].kind)
            .filter_map(|(ty, boxed)| match (ty, boxed) {
                (TypeRef::Named(name), false) => index.get(name.as_str()).copied(),
                _ => None,
            })
            .collect();
        if let Some(&part) = parts.get(*next) {
            *next += 1;
            if sizes[part].is_none() && !on_path[part] {
                on_path[part] = true;
                work.push((part, 0));
            }
            continue;
        }
        work.pop();
        on_path[node] = false;
        // A part still unsized is on the path: counted as a pointer.
        let inline = |ty: &TypeRef, sizes: &[Option<usize>]| match ty {
            TypeRef::Named(name) => index
                .get(name.as_str())
                .and_then(|&j| sizes[j])
                .unwrap_or(POINTER),
            other => leaf_size(other),
        };
        // What a field or variant takes: large ones are boxed.
        let part = |ty: &TypeRef, boxed: bool, sizes: &[Option<usize>]| {
            let size = inline(ty, sizes);
            if boxed || size > BOX_ABOVE {
                POINTER
            } else {
                size
            }
        };
        let size = match &types[node].kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .map(|f| {
                    // A flattened part's fields sit in the struct itself.
                    let taken = match f.flatten {
                        true => inline(&f.ty, sizes),
                        false => part(&f.ty, f.boxed, sizes),
                    };
                    // An `Option` (and `Option<Option<_>>`) adds a tag.
                    taken + if f.optional || f.nullable { POINTER } else { 0 }
                })
                .sum(),
            TypeKind::Union(union) => {
                union
                    .variants
                    .iter()
                    .map(|v| part(&v.ty, v.boxed, sizes))
                    .max()
                    .unwrap_or(0)
                    + POINTER
            }
            // An alias or a newtype is its type, boxed where it is held.
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => inline(ty, sizes),
            // A string enum keeps an unknown value's text.
            TypeKind::Enum(_) => STRING + POINTER,
            TypeKind::Params(_) | TypeKind::Responses(_) | TypeKind::Media(_) => POINTER,
        };
        sizes[node] = Some(size);
    }
}

/// The types a type holds inline, each with whether it is boxed already.
fn held(kind: &TypeKind) -> Box<dyn Iterator<Item = (&TypeRef, bool)> + '_> {
    match kind {
        TypeKind::Struct { fields } => Box::new(fields.iter().map(|f| (&f.ty, f.boxed))),
        TypeKind::Union(union) => Box::new(union.variants.iter().map(|v| (&v.ty, v.boxed))),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => Box::new(std::iter::once((ty, false))),
        _ => Box::new(std::iter::empty()),
    }
}

const POINTER: usize = 8;
const STRING: usize = 24;

fn leaf_size(ty: &TypeRef) -> usize {
    match ty {
        TypeRef::Bool => 1,
        TypeRef::I32 | TypeRef::F32 => 4,
        TypeRef::I64 | TypeRef::F64 => 8,
        TypeRef::Uuid => 16,
        TypeRef::String | TypeRef::Array(_) | TypeRef::Map(_) => STRING,
        // `bytes::Bytes`; a file part is bytes, a name and a media type.
        TypeRef::Bytes => 32,
        TypeRef::File => 32 + 2 * STRING,
        // `serde_json::Value` with `preserve_order`: an IndexMap inside.
        TypeRef::Json => 80,
        TypeRef::Named(_) => POINTER,
        TypeRef::Nullable(inner) => leaf_size(inner) + POINTER,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Access, Field};

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            json_name: name.to_owned(),
            rust_name: name.to_owned(),
            ty,
            optional: true,
            nullable: false,
            access: Access::ReadWrite,
            boxed: false,
            flatten: false,
            description: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            description: None,
            kind: TypeKind::Struct { fields },
        }
    }

    fn boxed(types: &[TypeDef], name: &str) -> Vec<bool> {
        match &types.iter().find(|t| t.name == name).unwrap().kind {
            TypeKind::Struct { fields } => fields.iter().map(|f| f.boxed).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn large_parts_are_boxed_and_small_ones_stay_inline() {
        // `Big`: twenty strings, 640 bytes as options. `Small`: two.
        let strings = |n: usize| {
            (0..n)
                .map(|i| field(&format!("s{i}"), TypeRef::String))
                .collect()
        };
        let mut types = vec![
            strukt(
                "Holder",
                vec![
                    field("big", TypeRef::Named("Big".into())),
                    field("small", TypeRef::Named("Small".into())),
                    field(
                        "list",
                        TypeRef::Array(Box::new(TypeRef::Named("Big".into()))),
                    ),
                ],
            ),
            strukt("Big", strings(20)),
            strukt("Small", strings(2)),
        ];
        box_large(&mut types);
        assert_eq!(boxed(&types, "Holder"), [true, false, false]);
        assert_eq!(boxed(&types, "Big"), [false; 20]);
    }

    #[test]
    fn a_type_made_of_many_boxed_parts_is_small_again() {
        // Each `Part` is large; `Many` holds forty, all boxed: 640 bytes,
        // so `Many` itself is boxed in `Top`; `Few` holds two (32), inline.
        let strings = (0..20)
            .map(|i| field(&format!("s{i}"), TypeRef::String))
            .collect();
        let parts = |n: usize| {
            (0..n)
                .map(|i| field(&format!("p{i}"), TypeRef::Named("Part".into())))
                .collect()
        };
        let mut types = vec![
            strukt("Part", strings),
            strukt("Many", parts(40)),
            strukt("Few", parts(2)),
            strukt(
                "Top",
                vec![
                    field("many", TypeRef::Named("Many".into())),
                    field("few", TypeRef::Named("Few".into())),
                ],
            ),
        ];
        box_large(&mut types);
        assert!(boxed(&types, "Many").iter().all(|b| *b));
        assert_eq!(boxed(&types, "Top"), [true, false]);
    }
}
