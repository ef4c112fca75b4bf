//! List operations whose pages follow one another, recognised by the usual
//! patterns: a cursor in a query parameter with the next one in the page
//! (Linq, dropshot), Stripe's `starting_after` with `has_more`, GitHub's
//! `Link: rel="next"` header, and plain page numbers.

use openapiv3::StatusCode;

use super::*;

/// Query parameters that take the cursor of the next page.
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "page_after",
    "after",
    "marker",
];
/// Fields of a page that hold the next page's cursor.
const CURSOR_FIELDS: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "next_marker",
    "cursor",
    "last_id",
];

impl<'a> Builder<'a> {
    /// How the pages of `op` follow one another, if it is a list operation
    /// of a pattern this recognises.
    pub(super) fn pagination(
        &self,
        op: &'a openapiv3::Operation,
        options: Option<&Options>,
        success: &Success,
    ) -> Option<Pagination> {
        let options = options?;
        let Success::Json(body) = success else {
            return None;
        };
        let option = |names: &[&str]| {
            names.iter().find_map(|name| {
                options
                    .params
                    .iter()
                    .find(|p| p.name == *name && p.location == ParamLocation::Query)
            })
        };
        let (items, item, page) = match body {
            TypeRef::Array(item) => (None, (**item).clone(), None),
            TypeRef::Named(name) => {
                let fields = self.struct_fields(name)?;
                // A page holds one list: more than one array says nothing of which.
                let mut arrays = fields.iter().filter(|f| matches!(f.ty, TypeRef::Array(_)));
                let list = arrays.next()?;
                if arrays.next().is_some() || list.boxed {
                    return None;
                }
                let TypeRef::Array(item) = &list.ty else {
                    return None;
                };
                (Some(step(list)), (**item).clone(), Some(fields))
            }
            _ => return None,
        };
        let found = |param: &Param, next: NextPage| Pagination {
            items: items.clone(),
            item: item.clone(),
            param: param.rust_name.clone(),
            next,
        };
        if let (Some(param), Some(fields)) = (option(CURSOR_PARAMS), page)
            && param.ty == TypeRef::String
            && let Some(next) = CURSOR_FIELDS.iter().find_map(|name| {
                fields
                    .iter()
                    .find(|f| f.json_name == *name && f.ty == TypeRef::String && !f.boxed)
            })
        {
            let has_more = fields
                .iter()
                .find(|f| f.json_name == "has_more" && f.ty == TypeRef::Bool)
                .map(step);
            let next = NextPage::Cursor {
                next: step(next),
                has_more,
            };
            return Some(found(param, next));
        }
        if let (Some(param), Some(fields)) = (option(&["starting_after"]), page)
            && param.ty == TypeRef::String
            && let Some(has_more) = fields
                .iter()
                .find(|f| f.json_name == "has_more" && f.ty == TypeRef::Bool)
            && let TypeRef::Named(item_name) = &item
            && let Some(id) = self.struct_fields(item_name).and_then(|fields| {
                fields
                    .iter()
                    .find(|f| f.json_name == "id" && f.ty == TypeRef::String)
            })
        {
            let next = NextPage::AfterLastItem {
                has_more: step(has_more),
                id: step(id),
            };
            return Some(found(param, next));
        }
        if let Some(param) = option(&["page"])
            && matches!(param.ty, TypeRef::I32 | TypeRef::I64)
        {
            let next = if self.answers_with_link(op) {
                NextPage::Link
            } else {
                NextPage::PageNumber
            };
            return Some(found(param, next));
        }
        None
    }

    pub(super) fn struct_fields(&self, name: &str) -> Option<&[Field]> {
        match &self.types.iter().find(|t| t.name == name)?.kind {
            TypeKind::Struct { fields } => Some(fields),
            _ => None,
        }
    }

    /// Whether a success response of `op` declares a `Link` header.
    fn answers_with_link(&self, op: &'a openapiv3::Operation) -> bool {
        op.responses
            .responses
            .iter()
            .filter(|(status, _)| {
                matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2))
            })
            .filter_map(|(_, response)| self.quiet_response(response))
            .any(|response| {
                response
                    .headers
                    .keys()
                    .any(|name| name.eq_ignore_ascii_case("link"))
            })
    }
}

fn step(field: &Field) -> FieldStep {
    FieldStep {
        rust_name: field.rust_name.clone(),
        presence: field.presence(),
    }
}

/// The operation extension that declares how its pages follow one another,
/// over what the patterns above would find, or `false` for none.
pub(super) const PAGINATION_EXTENSION: &str = "x-rust-pagination";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct PaginationExtension {
    style: PaginationStyle,
    /// The optional query parameter the next page sets.
    param: String,
    /// `cursor`: the page's field with the next value.
    next: Option<String>,
    /// `cursor` (optional) and `after-last-item`: the page's boolean field
    /// that says whether another page follows.
    has_more: Option<String>,
    /// `after-last-item`: the item's field whose value the next page starts
    /// after (default `id`).
    id: Option<String>,
    /// The page's field that holds its items (default: the body, where it
    /// is a list, else its one list field).
    items: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum PaginationStyle {
    Cursor,
    AfterLastItem,
    Link,
    PageNumber,
}

impl<'a> Builder<'a> {
    /// The pagination `x-rust-pagination` declares at `pointer`, the
    /// operation's extension: `None` for `false`, and for a declaration that
    /// does not fit the operation, reported.
    pub(super) fn declared_pagination(
        &mut self,
        value: &serde_json::Value,
        pointer: &str,
        options: Option<&Options>,
        success: &Success,
    ) -> Option<Pagination> {
        if value == &serde_json::Value::Bool(false) {
            return None;
        }
        let declared = match serde_path_to_error::deserialize::<_, PaginationExtension>(value) {
            Ok(declared) => declared,
            Err(err) => {
                let at = err.path().to_string().replace('.', "/");
                let at = match at.as_str() {
                    "" | "." => pointer.to_owned(),
                    at => join(pointer, at.trim_start_matches('/')),
                };
                self.error(
                    &at,
                    format!("invalid `{PAGINATION_EXTENSION}`: {}", err.inner()),
                )
                .hint = Some("see README.md, section \"Spec extensions\"".into());
                return None;
            }
        };
        match self.resolve_pagination(&declared, options, success) {
            Ok(pagination) => Some(pagination),
            Err((key, message)) => {
                self.error(&join(pointer, key), message);
                None
            }
        }
    }

    /// The declaration checked against the operation: its parameter, its
    /// page's fields and its items. An error names the key at fault.
    fn resolve_pagination(
        &self,
        declared: &PaginationExtension,
        options: Option<&Options>,
        success: &Success,
    ) -> Result<Pagination, (&'static str, String)> {
        let param = options
            .into_iter()
            .flat_map(|options| &options.params)
            .find(|p| p.name == declared.param && p.location == ParamLocation::Query)
            .ok_or_else(|| {
                let message = format!(
                    "`{}` is not an optional query parameter of the operation",
                    declared.param
                );
                ("param", message)
            })?;
        let Success::Json(body) = success else {
            return Err((
                "style",
                "the operation's success is not a JSON page".to_owned(),
            ));
        };
        let page = match body {
            TypeRef::Named(name) => self.struct_fields(name),
            _ => None,
        };
        let field = |key: &'static str, name: &str| {
            page.and_then(|fields| fields.iter().find(|f| f.json_name == name))
                .ok_or_else(|| (key, format!("the page has no field `{name}`")))
        };
        let (items, item) = match (&declared.items, body) {
            (Some(name), _) => {
                let list = field("items", name)?;
                match &list.ty {
                    TypeRef::Array(item) if !list.boxed => (Some(step(list)), (**item).clone()),
                    _ => return Err(("items", format!("the page's `{name}` is not a list"))),
                }
            }
            (None, TypeRef::Array(item)) => (None, (**item).clone()),
            (None, _) => {
                let mut lists = page
                    .into_iter()
                    .flatten()
                    .filter(|f| matches!(f.ty, TypeRef::Array(_)) && !f.boxed);
                match (lists.next(), lists.next()) {
                    (Some(list), None) => match &list.ty {
                        TypeRef::Array(item) => (Some(step(list)), (**item).clone()),
                        _ => unreachable!("filtered to lists"),
                    },
                    _ => {
                        let message = "the page has no single list field: name it".to_owned();
                        return Err(("items", message));
                    }
                }
            }
        };
        let has_more = |required: bool| match &declared.has_more {
            Some(name) => {
                let found = field("has-more", name)?;
                match found.ty {
                    TypeRef::Bool => Ok(Some(step(found))),
                    _ => Err(("has-more", format!("the page's `{name}` is not a boolean"))),
                }
            }
            None if required => Err(("has-more", "this style needs `has-more`".to_owned())),
            None => Ok(None),
        };
        let text_param = || match param.ty {
            TypeRef::String => Ok(()),
            _ => Err((
                "param",
                format!("`{}` is not a string parameter", param.name),
            )),
        };
        let next = match declared.style {
            PaginationStyle::Cursor => {
                text_param()?;
                let Some(name) = &declared.next else {
                    return Err(("next", "the `cursor` style needs `next`".to_owned()));
                };
                let next = field("next", name)?;
                if next.ty != TypeRef::String || next.boxed {
                    return Err(("next", format!("the page's `{name}` is not a string")));
                }
                NextPage::Cursor {
                    next: step(next),
                    has_more: has_more(false)?,
                }
            }
            PaginationStyle::AfterLastItem => {
                text_param()?;
                let name = declared.id.as_deref().unwrap_or("id");
                let id = match &item {
                    TypeRef::Named(item) => self.struct_fields(item),
                    _ => None,
                }
                .and_then(|fields| {
                    fields
                        .iter()
                        .find(|f| f.json_name == name && f.ty == TypeRef::String)
                })
                .ok_or_else(|| ("id", format!("the items have no string field `{name}`")))?;
                NextPage::AfterLastItem {
                    has_more: has_more(true)?.expect("required"),
                    id: step(id),
                }
            }
            PaginationStyle::Link | PaginationStyle::PageNumber => {
                if !matches!(param.ty, TypeRef::I32 | TypeRef::I64) {
                    let message = format!("`{}` is not an integer parameter", param.name);
                    return Err(("param", message));
                }
                match declared.style {
                    PaginationStyle::Link => NextPage::Link,
                    _ => NextPage::PageNumber,
                }
            }
        };
        Ok(Pagination {
            items,
            item,
            param: param.rust_name.clone(),
            next,
        })
    }
}
