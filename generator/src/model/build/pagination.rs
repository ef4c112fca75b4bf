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
