//! The webhook event enum: a variant per event the API sends, told apart by
//! its payload's fields, and `Unknown` for any other.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{Scope, ident, type_tokens};
use crate::model::Api;

pub fn event_enum(api: &Api) -> TokenStream {
    let name = ident(&api.webhook_event_type);
    let variants = api.webhooks.iter().map(|webhook| {
        let variant = ident(&webhook.rust_name);
        let ty = type_tokens(&webhook.payload, Scope::Types);
        let doc = docs::outer(&docs::paragraphs([
            webhook.summary.as_deref(),
            webhook.description.as_deref(),
            Some(&format!("The `{}` webhook.", webhook.name)),
        ]));
        quote! {
            #doc
            #variant(#ty),
        }
    });
    // An event whose fields match an earlier one's is only read by name.
    let mut seen = Vec::new();
    let dispatch =
        api.webhooks
            .iter()
            .filter(|webhook| !webhook.matches.is_empty())
            .filter(|webhook| {
                let first = !seen.contains(&&webhook.matches);
                seen.push(&webhook.matches);
                first
            })
            .map(|webhook| {
                let variant = ident(&webhook.rust_name);
                let tests = webhook.matches.iter().map(
                    |(field, value)| quote!(text(#field) == ::std::option::Option::Some(#value)),
                );
                quote! {
                    if #(#tests)&&* {
                        return ::serde_json::from_value(value).map(Self::#variant);
                    }
                }
            });
    let dispatch: Vec<TokenStream> = dispatch.collect();
    let text = (!dispatch.is_empty()).then(
        || quote!(let text = |name: &str| value.get(name).and_then(::serde_json::Value::as_str);),
    );
    let by_name = api.webhooks.iter().map(|webhook| {
        let variant = ident(&webhook.rust_name);
        let key = &webhook.name;
        quote!(#key => ::serde_json::from_slice(body).map(Self::#variant),)
    });
    let names = api.webhooks.iter().map(|webhook| {
        let variant = ident(&webhook.rust_name);
        let key = &webhook.name;
        quote!(Self::#variant(_) => ::std::option::Option::Some(#key),)
    });
    let fields: Vec<String> = {
        let mut fields: Vec<String> = api
            .webhooks
            .iter()
            .flat_map(|w| w.matches.iter().map(|(field, _)| format!("`{field}`")))
            .collect();
        fields.sort();
        fields.dedup();
        fields
    };
    let told_apart = if fields.is_empty() {
        "The spec does not say how payloads name their event: every one is `Unknown` \
         to [`parse`](Self::parse); [`parse_as`](Self::parse_as) reads one by its \
         webhook's name."
            .to_owned()
    } else {
        format!(
            "Told apart by their {} field; another value is `Unknown`.",
            fields.join(" and ")
        )
    };
    let doc = docs::outer(&format!(
        "An event the API sends to a webhook endpoint, one variant a webhook of the spec. {told_apart}"
    ));
    let parse_doc = docs::outer(
        "Reads a payload, its event told apart by its fields.\n\n# Errors\n\n\
         The body is not JSON, or it is a known event's and does not decode into it.",
    );
    let parse_as_doc = docs::outer(
        "Reads a payload as the event of the webhook `name` (its key in the spec's \
         `webhooks`), whatever its fields say; another name is `Unknown`.\n\n# Errors\n\nThe body does not decode.",
    );
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// An event this client does not know, as JSON.
            Unknown(::serde_json::Value),
        }

        impl #name {
            #parse_doc
            pub fn parse(body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                let value: ::serde_json::Value = ::serde_json::from_slice(body)?;
                #text
                #(#dispatch)*
                ::std::result::Result::Ok(Self::Unknown(value))
            }

            #parse_as_doc
            pub fn parse_as(name: &str, body: &[u8]) -> ::std::result::Result<Self, ::serde_json::Error> {
                match name {
                    #(#by_name)*
                    _ => ::serde_json::from_slice(body).map(Self::Unknown),
                }
            }

            /// The name of the event's webhook; `None` for an unknown one.
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#names)*
                    Self::Unknown(_) => ::std::option::Option::None,
                }
            }
        }
    }
}
