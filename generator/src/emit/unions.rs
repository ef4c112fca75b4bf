//! Enums of types: `oneOf` / `anyOf` unions, and the successful responses of
//! an operation that answers differently by status.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs;
use super::rust::{Scope, ident, type_tokens};
use crate::model::{MediaVariant, StatusMatch, StatusVariant, Success, TypeRef, UnionDef};

/// A union: untagged (the first variant that decodes wins), or dispatched on
/// the discriminator, with an `Unknown` variant for a tag this client does not know.
pub fn union_def(name: &Ident, doc: &TokenStream, union: &UnionDef) -> TokenStream {
    let variants: Vec<Ident> = union.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let types: Vec<TokenStream> = union
        .variants
        .iter()
        .map(|v| {
            let ty = type_tokens(&v.ty, Scope::Types);
            if v.boxed {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            }
        })
        .collect();
    let variant_docs = union.variants.iter().map(|v| {
        let text = match (&v.ty, v.tags.as_slice()) {
            (TypeRef::Named(name), []) => format!("A [`{name}`]."),
            (TypeRef::Named(name), tags) => format!(
                "A [`{name}`], tagged {}.",
                tags.iter()
                    .map(|t| format!("`{t:?}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
            _ => format!("The `{}` form.", v.rust_name),
        };
        docs::outer(&text)
    });
    let Some(property) = &union.discriminator else {
        return quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #name {
                #( #variant_docs #variants(#types), )*
            }
        };
    };
    let first_tags: Vec<&str> = union.variants.iter().map(|v| v.tags[0].as_str()).collect();
    let tag_patterns = union.variants.iter().map(|v| {
        let tags = &v.tags;
        quote!(#(#tags)|*)
    });
    let constructors = union.variants.iter().zip(&variants).map(|(v, variant)| {
        if v.boxed {
            quote!(|value| #name::#variant(::std::boxed::Box::new(value)))
        } else {
            quote!(#name::#variant)
        }
    });
    let unknown_doc = docs::outer(&format!(
        "A `{property}` this version of the client does not know, kept as it came."
    ));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants(#types), )*
            #unknown_doc
            Unknown(::serde_json::Value),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let (tag, value) = match self {
                    #( #name::#variants(value) => (#first_tags, ::serde_json::to_value(value)), )*
                    #name::Unknown(value) => return ::serde::Serialize::serialize(value, serializer),
                };
                let mut value = value.map_err(::serde::ser::Error::custom)?;
                if let ::serde_json::Value::Object(object) = &mut value {
                    object
                        .entry(#property)
                        .or_insert_with(|| ::serde_json::Value::from(tag));
                }
                ::serde::Serialize::serialize(&value, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#property).and_then(::serde_json::Value::as_str);
                match tag {
                    #( ::std::option::Option::Some(#tag_patterns) => ::serde_json::from_value(value)
                        .map(#constructors)
                        .map_err(::serde::de::Error::custom), )*
                    _ => ::std::result::Result::Ok(#name::Unknown(value)),
                }
            }
        }
    }
}

/// The successful responses of one operation, a variant per status.
pub fn responses_def(name: &Ident, doc: &TokenStream, variants: &[StatusVariant]) -> TokenStream {
    let items = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let status = match variant.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(hundreds) => format!("`{hundreds}XX`"),
            StatusMatch::Default => "Any other success".to_owned(),
        };
        let text = match &variant.description {
            Some(description) => format!("{status}: {}", description.trim()),
            None => format!("{status}."),
        };
        let doc = docs::outer(&text);
        match body_type(&variant.body) {
            Some(ty) => quote!(#doc #variant_name(#ty),),
            None => quote!(#doc #variant_name,),
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#items)*
        }
    }
}

/// The type a success body decodes to, `None` for no body.
pub fn body_type(body: &Success) -> Option<TokenStream> {
    match body {
        Success::Empty => None,
        Success::Json(ty) => Some(type_tokens(ty, Scope::Types)),
        Success::Text => Some(quote!(::std::string::String)),
        Success::Bytes => Some(quote!(::bytes::Bytes)),
        Success::Redirect => Some(quote!(crate::Redirect)),
        Success::Several { type_name, .. } | Success::Media { type_name, .. } => {
            let name = ident(type_name);
            Some(quote!(#name))
        }
    }
}

/// A response in several media types: a variant a kind of body.
pub fn media_def(name: &Ident, doc: &TokenStream, variants: &[MediaVariant]) -> TokenStream {
    let items = variants.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let media: Vec<String> = variant.media.iter().map(|m| format!("`{m}`")).collect();
        let doc = docs::outer(&format!("A {} response.", media.join(" or ")));
        match body_type(&variant.body) {
            Some(ty) => quote!(#doc #variant_name(#ty),),
            None => quote!(#doc #variant_name,),
        }
    });
    // A response enum is returned once and matched: boxing a variant would
    // cost every caller a deref for no saving.
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#items)*
        }
    }
}
