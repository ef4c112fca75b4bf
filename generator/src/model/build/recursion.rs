//! Recursive types. A struct that holds itself by value (directly, through an
//! `Option`, or through a cycle of other types) has no size: such fields and
//! union variants are boxed. A type alias that mentions itself, even through a
//! `Vec`, is refused by rustc: such aliases become newtypes.

use std::collections::HashMap;

use crate::model::{TypeDef, TypeKind, TypeRef};

pub(super) fn break_cycles(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();

    // Aliases first: an alias in a cycle of aliases becomes a newtype.
    let alias_edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(target) => {
                let mut names = Vec::new();
                mentioned(target, &mut names);
                names
                    .iter()
                    .filter_map(|name| index.get(*name).copied())
                    .filter(|&j| matches!(types[j].kind, TypeKind::Alias(_)))
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    for (i, recursive) in in_cycle(&alias_edges).into_iter().enumerate() {
        if let (true, TypeKind::Alias(target)) = (recursive, &types[i].kind) {
            types[i].kind = TypeKind::Newtype(target.clone());
        }
    }

    // Then values: a field or variant inside its own cycle is boxed.
    let value_edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            held_by_value(&def.kind)
                .into_iter()
                .filter_map(|name| index.get(name).copied())
                .collect()
        })
        .collect();
    let component = components(&value_edges);
    let mut broken = std::collections::HashSet::new();
    for i in 0..types.len() {
        let own = component[i];
        let same = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => index.get(name).is_some_and(|&j| component[j] == own),
            _ => false,
        };
        let is_cyclic = value_edges[i].iter().any(|&j| component[j] == own);
        if !is_cyclic {
            continue;
        }
        match &mut types[i].kind {
            TypeKind::Struct { fields } => {
                for field in fields {
                    field.boxed = same(&field.ty);
                    if field.boxed {
                        broken.insert(own);
                    }
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = same(&variant.ty);
                    if variant.boxed {
                        broken.insert(own);
                    }
                }
            }
            _ => {}
        }
    }
    // A cycle of newtypes alone (`Unknown: anyOf: [$ref: Unknown, null]`)
    // describes no value but `null` and nothing a box could hold apart: its
    // newtypes hold any JSON.
    for i in 0..types.len() {
        let own = component[i];
        let is_cyclic = value_edges[i].iter().any(|&j| component[j] == own);
        if is_cyclic && !broken.contains(&own) && matches!(types[i].kind, TypeKind::Newtype(_)) {
            types[i].kind = TypeKind::Newtype(TypeRef::Json);
        }
    }
}

/// The named types a type holds by value (not behind a `Vec` or a map).
fn held_by_value(kind: &TypeKind) -> Vec<&str> {
    fn direct(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct { fields } => fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .filter_map(|v| direct(&v.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct(ty).into_iter().collect(),
        TypeKind::Params(params) => params.iter().filter_map(|p| direct(&p.ty)).collect(),
        TypeKind::Enum(_) | TypeKind::Responses(_) | TypeKind::Media(_) => Vec::new(),
    }
}

fn mentioned<'t>(ty: &'t TypeRef, names: &mut Vec<&'t str>) {
    match ty {
        TypeRef::Named(name) => names.push(name),
        TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => {
            mentioned(item, names)
        }
        _ => {}
    }
}

/// Whether each node lies on a cycle (a self-loop counts).
fn in_cycle(edges: &[Vec<usize>]) -> Vec<bool> {
    let component = components(edges);
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for &c in &component {
        *sizes.entry(c).or_default() += 1;
    }
    (0..edges.len())
        .map(|i| sizes[&component[i]] > 1 || edges[i].contains(&i))
        .collect()
}

/// Strongly connected components (Tarjan's algorithm, iterative so that a long
/// chain of types cannot overflow the stack): the component of each node.
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut work = vec![(root, 0)];
        order[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if let Some(&target) = edges[node].get(*edge) {
                *edge += 1;
                if order[target] == UNSEEN {
                    order[target] = next;
                    low[target] = next;
                    next += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = node;
                    if member == node {
                        break;
                    }
                }
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_group_cycles_and_leave_chains_apart() {
        // 0 → 1 → 2 → 0, 3 → 0, 4 → 4
        let edges = vec![vec![1], vec![2], vec![0], vec![0], vec![4]];
        let component = components(&edges);
        assert_eq!(component[0], component[1]);
        assert_eq!(component[1], component[2]);
        assert_ne!(component[3], component[0]);
        assert_eq!(in_cycle(&edges), [true, true, true, false, true]);
    }
}
