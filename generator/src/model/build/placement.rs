//! Where an operation goes and what its method is called, from the spec
//! alone: `client.chats().typing().start(id)` for `startTyping` at
//! `POST /v3/chats/{chatId}/typing`, `client.charges().retrieve(charge)` for
//! Stripe's `GetChargesCharge`. A pure function of every operation's facts,
//! since where one goes depends on the others (a sub-resource needs two
//! operations; two names that collide both take a longer one).
//!
//! - **The resource** is the operation's first tag, placed at the path
//!   segment it names (`Chats` at `chats`; `Webhooks` at `webhook-events`,
//!   which it starts). Without tags it is the first segment that is not a
//!   version or a parameter.
//! - **Sub-resources** come from the path after it: a collection under an
//!   item (`/chats/{chatId}/typing` → `chats.typing`), and, without tags, a
//!   namespace too (`/v1/issuing/cards` → `issuing.cards`), when at least
//!   two operations sit under it and none of them is named after it (GitHub's
//!   `gists/fork` at `/gists/{id}/forks` stays a method of `gists`).
//! - **The method** is the `operationId` (after its last `/`) without the
//!   words of the resources it sits on and a preposition left dangling
//!   (`sendMessageToChat` on `messages` → `send_to_chat`). Where the id only
//!   restates the method and the path (Stripe's `PostChargesChargeCapture`),
//!   or nothing is left, the usual verb stands in: `list` and `create` on a
//!   collection, `retrieve`, `update` and `delete` on an item; the path's
//!   last segment names an action (`capture`).
//! - **Collisions** within a resource move every operation involved to a
//!   longer name (the verb with the method, then the whole `operationId`),
//!   so that which of them comes first in the spec decides nothing.

use std::collections::HashMap;

use heck::ToSnakeCase;

/// What placing an operation needs to know of it.
#[derive(Debug, Clone)]
pub(super) struct OperationFacts<'a> {
    pub path: &'a str,
    /// Lower case: `get`.
    pub method: &'a str,
    pub operation_id: Option<&'a str>,
    pub tag: Option<&'a str>,
    /// `x-rust-resource`, split at its dots.
    pub resource: Option<Vec<String>>,
    /// `x-rust-method`.
    pub method_name: Option<String>,
}

/// Where an operation goes: its resource path and its method's name (not yet
/// a Rust identifier: `names::to_snake_name` makes it one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Placement {
    pub resource: Vec<String>,
    pub name: String,
}

/// Places every operation, in the order given.
pub(super) fn place(operations: &[OperationFacts<'_>]) -> Vec<Placement> {
    let paths: Vec<Vec<Segment>> = operations.iter().map(|op| segments(op.path)).collect();
    let mut under: HashMap<Vec<Segment>, usize> = HashMap::new();
    for segments in &paths {
        for end in 1..=segments.len() {
            *under.entry(segments[..end].to_vec()).or_default() += 1;
        }
    }
    let mut chains: Vec<Vec<String>> = operations
        .iter()
        .zip(&paths)
        .map(|(op, segments)| match &op.resource {
            Some(resource) => resource.clone(),
            None => chain(op, segments, &under),
        })
        .collect();
    veto_named_sub_resources(operations, &mut chains);

    let candidates: Vec<Vec<String>> = operations
        .iter()
        .zip(&paths)
        .zip(&chains)
        .map(|((op, segments), chain)| match &op.method_name {
            Some(name) => vec![name.clone()],
            None => {
                // A collection: a path with items under it (`/people/{person}`),
                // else a plural word (`/charges`), but not `/me`, `/balance`.
                let has_items = paths.iter().any(|other| {
                    other.len() == segments.len() + 1
                        && other.starts_with(segments)
                        && other.last() == Some(&Segment::Parameter)
                });
                names(op, segments, chain, has_items)
            }
        })
        .collect();
    let chosen = resolve_collisions(&chains, &candidates);
    chains
        .into_iter()
        .zip(chosen)
        .map(|(resource, name)| Placement { resource, name })
        .collect()
}

/// Whether a method's name repeats the name of the resource it sits on
/// (`issues_list_for_repo` on `issues`, `get_charge` on `charges`): its
/// words hold the resource's, singular or plural. What the placement avoids,
/// and what the corpus runner counts.
pub fn repeats_resource(method: &str, resource: &str) -> bool {
    let method = words(method);
    let resource = words(resource);
    !resource.is_empty()
        && method
            .windows(resource.len())
            .any(|window| same(window, &resource))
}

/// A segment of a path template: a literal's words, or a parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Literal(Vec<String>),
    Parameter,
}

/// The path's segments without its version (`v3`): `#` separates too (Box
/// writes `/files/{id}#add_shared_link`), and a query is not part of it.
fn segments(path: &str) -> Vec<Segment> {
    let path = path.split('?').next().unwrap_or_default();
    path.split(['/', '#'])
        .filter(|s| !s.is_empty() && !is_version(s))
        .map(|s| {
            if s.contains('{') {
                Segment::Parameter
            } else {
                Segment::Literal(words(s))
            }
        })
        .collect()
}

fn is_version(segment: &str) -> bool {
    segment.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    })
}

/// The words of a name, lower case: `getMessageThread` → `get message thread`.
fn words(name: &str) -> Vec<String> {
    name.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether two words are one word, singular or plural: `chat` and `chats`,
/// `reply` and `replies`, `cookie` and `cookies`, `box` and `boxes`.
fn same_word(a: &str, b: &str) -> bool {
    let plural_of = |singular: &str, plural: &str| {
        plural.strip_suffix('s') == Some(singular)
            || plural.strip_suffix("es") == Some(singular)
            || plural
                .strip_suffix("ies")
                .is_some_and(|stem| !stem.is_empty() && singular.strip_suffix('y') == Some(stem))
    };
    a == b || plural_of(a, b) || plural_of(b, a)
}

/// Whether a word looks plural (`chats`, `replies`; not `status`, `access`):
/// it only chooses `list` over `retrieve`.
fn is_plural(word: &str) -> bool {
    word.len() > 2 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us")
}

/// The same words, but for plural endings.
fn same(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_word(a, b))
}

/// A literal names the tag: the same words (`Chats`, `chats`), or the same
/// letters (`Phone Numbers`, `phonenumbers`).
fn names_tag(literal: &[String], tag: &[String]) -> bool {
    same(literal, tag) || same_word(&literal.concat(), &tag.concat())
}

/// The resource path of an operation without `x-rust-resource`.
fn chain(
    op: &OperationFacts<'_>,
    segments: &[Segment],
    under: &HashMap<Vec<Segment>, usize>,
) -> Vec<String> {
    let literal = |i: usize| match &segments[i] {
        Segment::Literal(words) => Some(words),
        Segment::Parameter => None,
    };
    let (root, start, from_tag) = match op.tag.map(words).filter(|w| !w.is_empty()) {
        Some(tag) => {
            let exact =
                (0..segments.len()).find(|&i| literal(i).is_some_and(|w| names_tag(w, &tag)));
            // `Webhooks` names the start of `webhook-events`: the segment says more.
            let starts = || {
                (0..segments.len()).find(|&i| {
                    literal(i).is_some_and(|w| w.len() > tag.len() && same(&w[..tag.len()], &tag))
                })
            };
            match (exact, starts()) {
                (Some(i), _) => (tag.join("_"), Some(i), true),
                (None, Some(i)) => (
                    literal(i).map(|w| w.join("_")).unwrap_or_default(),
                    Some(i),
                    true,
                ),
                (None, None) => (tag.join("_"), None, true),
            }
        }
        None => match (0..segments.len()).find(|&i| literal(i).is_some()) {
            Some(i) => (
                literal(i).map(|w| w.join("_")).unwrap_or_default(),
                Some(i),
                false,
            ),
            None => ("default".to_owned(), None, false),
        },
    };
    let mut chain = vec![root];
    let Some(start) = start else {
        return chain;
    };
    for i in start + 1..segments.len() {
        let Some(words) = literal(i) else { continue };
        let under_item = segments[i - 1] == Segment::Parameter;
        // With tags, a namespace after the tag is not a resource: ids are written per tag.
        if from_tag && !under_item {
            continue;
        }
        if under.get(&segments[..=i]).copied().unwrap_or(0) < 2 {
            break;
        }
        chain.push(words.join("_"));
    }
    chain
}

/// A sub-resource named like one of its operations (`forks` holding
/// `fork`, `lock` holding `lock`) is not one: its operations go to its parent.
fn veto_named_sub_resources(operations: &[OperationFacts<'_>], chains: &mut [Vec<String>]) {
    loop {
        let vetoed = operations
            .iter()
            .zip(chains.iter())
            .find_map(|(op, chain)| {
                let leaf = chain.last()?;
                let id = op.operation_id?;
                let id = id.rsplit('/').next().unwrap_or(id);
                (op.resource.is_none() && chain.len() > 1 && same(&words(id), &words(leaf)))
                    .then(|| chain.clone())
            });
        let Some(vetoed) = vetoed else { return };
        for (op, chain) in operations.iter().zip(chains.iter_mut()) {
            if op.resource.is_none() && *chain == vetoed {
                chain.pop();
            }
        }
    }
}

const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "options", "trace",
];
const PREPOSITIONS: &[&str] = &[
    "to", "with", "for", "from", "in", "of", "on", "by", "at", "into",
];

/// The usual verb of a method on a collection, a single thing (`/me`,
/// `/jobs/{id}/log`) or an item.
fn usual_verb(method: &str, item: bool, collection: bool) -> String {
    match (method, item) {
        ("get", false) if collection => "list",
        ("get", _) => "retrieve",
        ("post", false) => "create",
        ("post" | "put" | "patch", _) => "update",
        ("delete", _) => "delete",
        (other, _) => other,
    }
    .to_owned()
}

/// Removes every run of `remove` from `words`, as long as `keep` words stay.
fn remove_run(words: &mut Vec<String>, remove: &[String], keep: usize) {
    let n = remove.len();
    let mut i = 0;
    while n > 0 && i + n <= words.len() {
        if same(&words[i..i + n], remove) && words.len() - n >= keep {
            words.drain(i..i + n);
        } else {
            i += 1;
        }
    }
}

/// The names an operation may take, the one preferred first.
fn names(
    op: &OperationFacts<'_>,
    segments: &[Segment],
    chain: &[String],
    has_items: bool,
) -> Vec<String> {
    let literals: Vec<&Vec<String>> = segments
        .iter()
        .filter_map(|s| match s {
            Segment::Literal(words) => Some(words),
            Segment::Parameter => None,
        })
        .collect();
    let item = segments.last() == Some(&Segment::Parameter);
    let last_word = literals.last().and_then(|l| l.last()).map(String::as_str);
    let collection = has_items || last_word.is_some_and(is_plural);
    let verb = |method: &str| usual_verb(method, item, collection);
    let resources: Vec<Vec<String>> = chain.iter().map(|r| words(r)).collect();
    let id = op
        .operation_id
        .map(|id| id.rsplit('/').next().unwrap_or(id));
    let id_words = id.map(words).unwrap_or_default();
    let whole = if id_words.is_empty() {
        std::iter::once(op.method.to_owned())
            .chain(literals.iter().flat_map(|w| w.iter().cloned()))
            .collect::<Vec<_>>()
            .join("_")
    } else {
        id_words.join("_")
    };

    let mut names = Vec::new();
    if restates_method_and_path(&id_words, op, &literals) {
        // The literals the resources do not account for: an action, or what
        // the item is (`mandate_notifications`).
        let mut extra: Vec<String> = literals
            .iter()
            .filter(|literal| !resources.iter().any(|r| names_tag(literal, r)))
            .flat_map(|literal| literal.iter().cloned())
            .collect();
        for resource in resources.iter().rev() {
            remove_run(&mut extra, resource, 0);
        }
        if extra.is_empty() {
            names.push(verb(op.method));
        } else if !item && op.method == "post" {
            names.push(extra.join("_"));
        } else {
            names.push(format!("{}_{}", verb(op.method), extra.join("_")));
        }
        if !extra.is_empty() {
            names.push(format!("{}_{}", op.method, extra.join("_")));
        }
    } else {
        let mut rest = id_words.clone();
        for resource in resources.iter().rev() {
            remove_run(&mut rest, resource, 1);
        }
        while rest.len() > 1
            && rest
                .last()
                .is_some_and(|w| PREPOSITIONS.contains(&w.as_str()))
        {
            rest.pop();
        }
        let bare = (rest.len() == 1 && HTTP_METHODS.contains(&rest[0].as_str()))
            || resources.iter().any(|r| same(&rest, r));
        names.push(if bare {
            verb(op.method)
        } else {
            rest.join("_")
        });
    }
    names.push(whole);
    names.dedup();
    names
}

/// Whether an `operationId` is only the method and the path: its first word
/// is the method and its others the path's (Stripe's `GetChargesCharge`,
/// Box's `get_files_id`), every literal of the path among them. No id at all
/// says as little.
fn restates_method_and_path(
    id: &[String],
    op: &OperationFacts<'_>,
    literals: &[&Vec<String>],
) -> bool {
    let Some((first, rest)) = id.split_first() else {
        return true;
    };
    if !HTTP_METHODS.contains(&first.as_str()) {
        return false;
    }
    let parameters: Vec<String> = op
        .path
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .flat_map(words)
        .collect();
    let in_path = |word: &String| {
        literals
            .iter()
            .any(|l| l.iter().any(|w| same_word(w, word)))
            || parameters.iter().any(|p| same_word(p, word))
    };
    let covers = literals
        .iter()
        .all(|l| l.iter().all(|w| id.iter().any(|i| same_word(i, w))));
    rest.iter().all(in_path) && covers
}

/// The name of each operation: the first of its candidates that no other
/// operation of its resource also has, every operation of a clash moving on
/// to its next candidate together.
fn resolve_collisions(chains: &[Vec<String>], candidates: &[Vec<String>]) -> Vec<String> {
    let mut level = vec![0usize; candidates.len()];
    loop {
        let mut seen: HashMap<(&[String], &str), usize> = HashMap::new();
        for (i, chain) in chains.iter().enumerate() {
            *seen
                .entry((chain.as_slice(), candidates[i][level[i]].as_str()))
                .or_default() += 1;
        }
        let mut moved = false;
        for (i, chain) in chains.iter().enumerate() {
            let clashes = seen[&(chain.as_slice(), candidates[i][level[i]].as_str())] > 1;
            if clashes && level[i] + 1 < candidates[i].len() {
                level[i] += 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    level
        .iter()
        .zip(candidates)
        .map(|(&level, names)| names[level].clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op<'a>(
        method: &'a str,
        path: &'a str,
        id: &'a str,
        tag: Option<&'a str>,
    ) -> OperationFacts<'a> {
        OperationFacts {
            path,
            method,
            operation_id: (!id.is_empty()).then_some(id),
            tag,
            resource: None,
            method_name: None,
        }
    }

    fn placed(ops: &[OperationFacts<'_>]) -> Vec<String> {
        place(ops)
            .into_iter()
            .map(|p| format!("{}.{}", p.resource.join("."), p.name))
            .collect()
    }

    #[test]
    fn linq_reads_like_its_stainless_sdk() {
        let chats = Some("Chats");
        let messages = Some("Messages");
        let webhooks = Some("Webhooks");
        let ops = [
            op("post", "/v3/chats", "createChat", chats),
            op("get", "/v3/chats", "listChats", chats),
            op("get", "/v3/chats/{chatId}", "getChat", chats),
            op("put", "/v3/chats/{chatId}", "updateChat", chats),
            op(
                "post",
                "/v3/chats/{chatId}/participants",
                "addParticipant",
                chats,
            ),
            op(
                "delete",
                "/v3/chats/{chatId}/participants",
                "removeParticipant",
                chats,
            ),
            op("post", "/v3/chats/{chatId}/typing", "startTyping", chats),
            op("delete", "/v3/chats/{chatId}/typing", "stopTyping", chats),
            op("post", "/v3/chats/{chatId}/read", "markChatAsRead", chats),
            op(
                "post",
                "/v3/chats/{chatId}/messages",
                "sendMessageToChat",
                messages,
            ),
            op(
                "get",
                "/v3/chats/{chatId}/messages",
                "getMessages",
                messages,
            ),
            op("get", "/v3/messages/{messageId}", "getMessage", messages),
            op(
                "get",
                "/v3/phonenumbers",
                "listPhoneNumbers",
                Some("Phone Numbers"),
            ),
            op("get", "/v3/webhook-events", "listWebhookEvents", webhooks),
            op(
                "post",
                "/v3/webhook-subscriptions",
                "createWebhookSubscription",
                webhooks,
            ),
            op(
                "delete",
                "/v3/webhook-subscriptions/{id}",
                "deleteWebhookSubscription",
                webhooks,
            ),
        ];
        assert_eq!(
            placed(&ops),
            [
                "chats.create",
                "chats.list",
                "chats.retrieve",
                "chats.update",
                "chats.participants.add",
                "chats.participants.remove",
                "chats.typing.start",
                "chats.typing.stop",
                "chats.mark_as_read",
                "messages.send_to_chat",
                "messages.list",
                "messages.retrieve",
                "phone_numbers.list",
                "webhook_events.list",
                "webhook_subscriptions.create",
                "webhook_subscriptions.delete",
            ]
        );
    }

    #[test]
    fn ids_that_restate_method_and_path_give_the_usual_verbs() {
        let ops = [
            op("get", "/v1/charges", "GetCharges", None),
            op("post", "/v1/charges", "PostCharges", None),
            op("get", "/v1/charges/{charge}", "GetChargesCharge", None),
            op("post", "/v1/charges/{charge}", "PostChargesCharge", None),
            op(
                "post",
                "/v1/charges/{charge}/capture",
                "PostChargesChargeCapture",
                None,
            ),
            op(
                "get",
                "/v1/charges/{charge}/refunds",
                "GetChargesChargeRefunds",
                None,
            ),
            op(
                "get",
                "/v1/charges/{charge}/refunds/{refund}",
                "GetChargesChargeRefundsRefund",
                None,
            ),
            op("get", "/v1/issuing/cards", "GetIssuingCards", None),
            op(
                "get",
                "/v1/issuing/cards/{card}",
                "GetIssuingCardsCard",
                None,
            ),
            op("get", "/v1/balance", "GetBalance", None),
        ];
        assert_eq!(
            placed(&ops),
            [
                "charges.list",
                "charges.create",
                "charges.retrieve",
                "charges.update",
                "charges.capture",
                "charges.refunds.list",
                "charges.refunds.retrieve",
                "issuing.cards.list",
                "issuing.cards.retrieve",
                "balance.retrieve",
            ]
        );
    }

    #[test]
    fn tags_group_and_the_resource_is_not_repeated() {
        let issues = Some("issues");
        let gists = Some("gists");
        let ops = [
            op(
                "get",
                "/repos/{owner}/{repo}/issues",
                "issues/list-for-repo",
                issues,
            ),
            op(
                "post",
                "/repos/{owner}/{repo}/issues",
                "issues/create",
                issues,
            ),
            op(
                "get",
                "/repos/{owner}/{repo}/issues/{issue_number}",
                "issues/get",
                issues,
            ),
            op(
                "get",
                "/repos/{owner}/{repo}/issues/{n}/comments",
                "issues/list-comments",
                issues,
            ),
            op(
                "post",
                "/repos/{owner}/{repo}/issues/{n}/comments",
                "issues/create-comment",
                issues,
            ),
            op("get", "/gists/{gist_id}/forks", "gists/list-forks", gists),
            op("post", "/gists/{gist_id}/forks", "gists/fork", gists),
        ];
        assert_eq!(
            placed(&ops),
            [
                "issues.list_for_repo",
                "issues.create",
                "issues.retrieve",
                "issues.comments.list",
                "issues.comments.create",
                "gists.list_forks",
                "gists.fork",
            ]
        );
    }

    #[test]
    fn colliding_names_all_take_the_longer_one() {
        let ops = [
            op("put", "/files/{file_id}", "put_files_id", None),
            op("post", "/files/{file_id}", "post_files_id", None),
            op("get", "/files/{file_id}", "get_files_id", None),
        ];
        assert_eq!(
            placed(&ops),
            [
                "files.put_files_id",
                "files.post_files_id",
                "files.retrieve"
            ]
        );
        // The order of the spec decides nothing.
        let reversed: Vec<_> = ops.iter().rev().cloned().collect();
        assert_eq!(
            placed(&reversed),
            [
                "files.retrieve",
                "files.post_files_id",
                "files.put_files_id"
            ]
        );
    }

    #[test]
    fn extensions_win() {
        let mut typing = op(
            "post",
            "/v3/chats/{chatId}/typing",
            "startTyping",
            Some("Chats"),
        );
        typing.resource = Some(vec!["chats".into(), "typing".into()]);
        typing.method_name = Some("begin".into());
        let mut stop = op(
            "delete",
            "/v3/chats/{chatId}/typing",
            "stopTyping",
            Some("Chats"),
        );
        stop.resource = Some(vec!["typing".into()]);
        assert_eq!(
            placed(&[typing, stop]),
            ["chats.typing.begin", "typing.stop"]
        );
    }
}
