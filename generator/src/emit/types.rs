//! `src/types.rs`: a Rust type for every named schema.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::rust::{Piece, Scope, ident, type_tokens};
use super::{docs, unions};
use crate::model::{
    Access, Api, EnumDef, EnumRepr, EnumValue, ErrorBodyVariant, ErrorEnvelope, Field, FieldPath,
    Leaf, Presence, TypeDef, TypeKind, TypeRef,
};

/// Types per piece of `types.rs`: enough to keep a thread busy, few enough
/// that a large spec's types spread over every core.
const TYPES_PER_PIECE: usize = 32;

/// `types.rs` in pieces of consecutive items, to build and print in parallel.
pub fn types_pieces(api: &Api) -> Vec<Piece<'_>> {
    let mut pieces: Vec<Piece<'_>> = vec![Box::new(|| {
        docs::inner(&format!(
            "The data types of the {}, one for each schema of its spec.",
            api.title
        ))
    })];
    for chunk in api.types.chunks(TYPES_PER_PIECE) {
        pieces.push(Box::new(move || {
            let types = chunk.iter().map(type_def);
            quote! { #(#types)* }
        }));
    }
    if let Some(envelope) = &api.error_envelope {
        pieces.push(Box::new(move || envelope_accessors(envelope)));
    }
    if !api.error_bodies.is_empty() {
        pieces.push(Box::new(move || error_body_enum(api)));
    }
    if !api.webhooks.is_empty() {
        pieces.push(Box::new(move || super::webhooks::event_enum(api)));
    }
    if api.types.iter().any(has_three_states) {
        pieces.push(Box::new(nullable_module));
    }
    pieces
}

/// The enum of the API's error bodies, a variant per type its error
/// responses carry.
fn error_body_enum(api: &Api) -> TokenStream {
    let name = ident(&api.error_body_type);
    let doc = docs::outer(
        "The body of an error response, decoded into the type the spec gives its \
         status for the operation: [`Error::error_body`](crate::Error::error_body).",
    );
    let variants = api.error_bodies.iter().map(|variant| {
        let variant_name = ident(&variant.rust_name);
        let ty = type_tokens(&variant.ty, Scope::Types);
        let doc = docs::outer(&format!("A body of type [`{}`].", variant.rust_name));
        quote!(#doc #variant_name(#ty),)
    });
    let accessors = error_body_accessors(api);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        #accessors
    }
}

/// `code()` and `message()` of the error bodies whose type is not the
/// envelope's, which the client's `Error` reads before the envelope's.
fn error_body_accessors(api: &Api) -> TokenStream {
    let name = ident(&api.error_body_type);
    let code_type = match api.code_is_text() {
        Some(true) => quote!(&str),
        _ => quote!(i64),
    };
    let arms = |field: fn(&ErrorBodyVariant) -> Option<&FieldPath>| {
        let arms: Vec<TokenStream> = api
            .error_bodies
            .iter()
            .filter_map(|variant| {
                let path = field(variant)?;
                let variant = ident(&variant.rust_name);
                let value = leaf_expr_from(quote!(body), path);
                Some(quote!(#name::#variant(body) => #value,))
            })
            .collect();
        let every = arms.len() == api.error_bodies.len();
        (!arms.is_empty()).then(|| {
            let rest = (!every).then(|| quote!(_ => ::std::option::Option::None,));
            quote!(match self { #(#arms)* #rest })
        })
    };
    let code = arms(|v| v.code.as_ref()).map(|body| {
        let doc = docs::outer("The API's error code, where this body's type has one.");
        quote! { #doc pub fn code(&self) -> ::std::option::Option<#code_type> { #body } }
    });
    let message = arms(|v| v.message.as_ref()).map(|body| {
        let doc = docs::outer("The API's error message, where this body's type has one.");
        quote! { #doc pub fn message(&self) -> ::std::option::Option<&str> { #body } }
    });
    if code.is_none() && message.is_none() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #code
            #message
        }
    }
}

fn has_three_states(def: &TypeDef) -> bool {
    match &def.kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .any(|f| f.presence() == Presence::OptionalNullable),
        _ => false,
    }
}

/// The deserializer of properties that may be left out or `null`.
fn nullable_module() -> TokenStream {
    let doc = docs::outer(
        "Reads a property that may be left out or `null`: `null` is `Some(None)`; \
         a property left out is `None`, by `#[serde(default)]`.",
    );
    quote! {
        mod nullable {
            #doc
            pub(super) fn deserialize<'de, D, T>(
                deserializer: D,
            ) -> ::std::result::Result<::std::option::Option<::std::option::Option<T>>, D::Error>
            where
                D: ::serde::Deserializer<'de>,
                T: ::serde::Deserialize<'de>,
            {
                <::std::option::Option<T> as ::serde::Deserialize>::deserialize(deserializer)
                    .map(::std::option::Option::Some)
            }
        }
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = docs::outer(
        def.description
            .as_deref()
            .unwrap_or(&format!("The `{}` schema.", def.name)),
    );
    match &def.kind {
        TypeKind::Struct { fields } => {
            let fields = fields.iter().map(field);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Enum(def) => enum_def(&name, &doc, def),
        TypeKind::Union(union) => unions::union_def(&name, &doc, union),
        TypeKind::Alias(target) => {
            let target = type_tokens(target, Scope::Types);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(target) => {
            let target = type_tokens(target, Scope::Types);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #target);
            }
        }
        TypeKind::Params(params) => {
            let fields = params.iter().map(|param| {
                let field = ident(&param.rust_name);
                let ty = type_tokens(&param.ty, Scope::Types);
                let doc = docs::outer(&docs::param_doc(param));
                quote! {
                    #doc
                    pub #field: ::std::option::Option<#ty>,
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, Default, PartialEq)]
                pub struct #name {
                    #(#fields)*
                }
            }
        }
        TypeKind::Responses(variants) => unions::responses_def(&name, &doc, variants),
        TypeKind::Media(variants) => unions::media_def(&name, &doc, variants),
    }
}

fn field(field: &Field) -> TokenStream {
    let name = ident(&field.rust_name);
    let presence = field.presence();
    let described = field
        .description
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.json_name));
    let text = match (presence, field.access) {
        (Presence::OptionalNullable, _) => {
            format!("{described}\n\n`None` leaves the property out, `Some(None)` sends `null`.")
        }
        (_, Access::ReadOnly) => format!("{described}\n\nSet by the server: left out of requests."),
        (_, Access::WriteOnly) => {
            format!("{described}\n\nSent by the client: left out of responses.")
        }
        _ => described,
    };
    let doc = docs::outer(&text);
    let bare_name = field.rust_name.trim_start_matches("r#");
    let rename = (bare_name != field.json_name).then(|| {
        let json = &field.json_name;
        quote!(#[serde(rename = #json)])
    });
    let mut ty = type_tokens(&field.ty, Scope::Types);
    if field.boxed {
        ty = quote!(::std::boxed::Box<#ty>);
    }
    if field.flatten {
        return quote! {
            #doc
            #[serde(flatten)]
            pub #name: #ty,
        };
    }
    // A list of files reads one file too: a schema's `anyOf` of a file and
    // an array of files is this one list (openai's image edit `image`).
    let files =
        !field.boxed && matches!(&field.ty, TypeRef::Array(item) if **item == TypeRef::File);
    match presence {
        Presence::Required if files => quote! {
            #doc
            #rename
            #[serde(deserialize_with = "crate::multipart::one_or_many")]
            pub #name: #ty,
        },
        Presence::Optional if files => quote! {
            #doc
            #rename
            #[serde(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                deserialize_with = "crate::multipart::optional_one_or_many"
            )]
            pub #name: ::std::option::Option<#ty>,
        },
        Presence::Required => quote! {
            #doc
            #rename
            pub #name: #ty,
        },
        // Always sent: `None` is `null`.
        Presence::Nullable => quote! {
            #doc
            #rename
            pub #name: ::std::option::Option<#ty>,
        },
        Presence::Optional => quote! {
            #doc
            #rename
            #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
            pub #name: ::std::option::Option<#ty>,
        },
        Presence::OptionalNullable => quote! {
            #doc
            #rename
            #[serde(
                default,
                skip_serializing_if = "::std::option::Option::is_none",
                deserialize_with = "nullable::deserialize"
            )]
            pub #name: ::std::option::Option<::std::option::Option<#ty>>,
        },
    }
}

fn enum_def(name: &proc_macro2::Ident, doc: &TokenStream, def: &EnumDef) -> TokenStream {
    let variants: Vec<_> = def.variants.iter().map(|v| ident(&v.rust_name)).collect();
    let variant_docs = def.variants.iter().map(|v| {
        let value = match &v.value {
            EnumValue::Integer(n) => format!("`{n}`"),
            EnumValue::String(s) => format!("`\"{s}\"`"),
        };
        let text = match &v.spec_name {
            Some(spec_name) => format!("{value} (`{spec_name}`)."),
            None => format!("{value}."),
        };
        let text = match &v.description {
            Some(description) => format!("{}\n\n{text}", description.trim()),
            None => text,
        };
        docs::outer(&text)
    });
    let (repr, literals): (TokenStream, Vec<Literal>) = match def.repr {
        EnumRepr::Integer => (
            quote!(i64),
            def.variants
                .iter()
                .map(|v| match &v.value {
                    EnumValue::Integer(n) => Literal::i64_unsuffixed(*n),
                    EnumValue::String(s) => Literal::string(s),
                })
                .collect(),
        ),
        EnumRepr::String => (
            quote!(::std::string::String),
            def.variants
                .iter()
                .map(|v| match &v.value {
                    EnumValue::Integer(n) => Literal::string(&n.to_string()),
                    EnumValue::String(s) => Literal::string(s),
                })
                .collect(),
        ),
    };
    let repr_str = repr.to_string().replace(' ', "");
    let copy = (def.repr == EnumRepr::Integer).then(|| quote!(Copy,));
    let to_repr_arms = match def.repr {
        EnumRepr::Integer => quote! { #( #name::#variants => #literals, )* },
        EnumRepr::String => {
            quote! { #( #name::#variants => ::std::string::String::from(#literals), )* }
        }
    };
    let (from_pattern, from_match) = match def.repr {
        EnumRepr::Integer => (quote!(value), quote!(value)),
        EnumRepr::String => (quote!(value), quote!(value.as_str())),
    };
    let display = match def.repr {
        EnumRepr::Integer => quote! { ::std::fmt::Display::fmt(&i64::from(*self), f) },
        EnumRepr::String => quote! { f.write_str(self.as_str()) },
    };
    // Text without an allocation: for `Display`, and for an error code read
    // as `&str`.
    let as_str = (def.repr == EnumRepr::String).then(|| {
        let unknown = def
            .open
            .then(|| quote!(#name::Unknown(value) => value.as_str(),));
        let doc = docs::outer("The value as the API writes it.");
        quote! {
            impl #name {
                #doc
                pub fn as_str(&self) -> &str {
                    match self {
                        #( #name::#variants => #literals, )*
                        #unknown
                    }
                }
            }
        }
    });
    if def.open {
        let unknown_doc =
            docs::outer("A value this version of the client does not know, kept as it came.");
        let unknown_arm = match def.repr {
            EnumRepr::Integer => quote!(#name::Unknown(value) => value,),
            EnumRepr::String => quote!(#name::Unknown(value) => value,),
        };
        let unknown_from = match def.repr {
            EnumRepr::Integer => quote!(_ => #name::Unknown(value),),
            EnumRepr::String => quote!(_ => #name::Unknown(#from_pattern),),
        };
        quote! {
            #doc
            #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(from = #repr_str, into = #repr_str)]
            #[non_exhaustive]
            pub enum #name {
                #( #variant_docs #variants, )*
                #unknown_doc
                Unknown(#repr),
            }

            impl ::std::convert::From<#repr> for #name {
                fn from(#from_pattern: #repr) -> Self {
                    match #from_match {
                        #( #literals => #name::#variants, )*
                        #unknown_from
                    }
                }
            }

            impl ::std::convert::From<#name> for #repr {
                fn from(value: #name) -> Self {
                    match value {
                        #to_repr_arms
                        #unknown_arm
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display
                }
            }

            #as_str
        }
    } else {
        let error = format!("`{{value}}` is not a known value of `{name}`");
        quote! {
            #doc
            #[derive(Debug, Clone, #copy PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
            #[serde(try_from = #repr_str, into = #repr_str)]
            pub enum #name {
                #( #variant_docs #variants, )*
            }

            impl ::std::convert::TryFrom<#repr> for #name {
                type Error = ::std::string::String;

                fn try_from(#from_pattern: #repr) -> ::std::result::Result<Self, Self::Error> {
                    match #from_match {
                        #( #literals => Ok(#name::#variants), )*
                        _ => Err(format!(#error)),
                    }
                }
            }

            impl ::std::convert::From<#name> for #repr {
                fn from(value: #name) -> Self {
                    match value {
                        #to_repr_arms
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #display
                }
            }

            #as_str
        }
    }
}

/// `code()` and `message()` on the error envelope, which the client's `Error` calls.
fn envelope_accessors(envelope: &ErrorEnvelope) -> TokenStream {
    let name = ident(&envelope.type_name);
    let code = envelope.code.as_ref().map(|path| {
        let value = leaf_expr(path);
        let doc = docs::outer("The API's error code.");
        let ty = match path.leaf.is_text() {
            true => quote!(&str),
            false => quote!(i64),
        };
        quote! { #doc pub fn code(&self) -> ::std::option::Option<#ty> { #value } }
    });
    let message = envelope.message.as_ref().map(|path| {
        let value = leaf_expr(path);
        let doc = docs::outer("The API's error message.");
        quote! { #doc pub fn message(&self) -> ::std::option::Option<&str> { #value } }
    });
    quote! {
        impl #name {
            #code
            #message
        }
    }
}

/// The expression that reads a leaf through optional and required fields.
fn leaf_expr(path: &FieldPath) -> TokenStream {
    leaf_expr_from(quote!(self), path)
}

/// [`leaf_expr`] from `root` rather than `self`.
fn leaf_expr_from(root: TokenStream, path: &FieldPath) -> TokenStream {
    let (last, parents) = path
        .steps
        .split_last()
        .expect("a field path has at least one step");
    let mut access = root;
    for step in parents {
        let field = ident(&step.rust_name);
        access = match step.presence {
            Presence::Required => quote!(#access.#field),
            Presence::Nullable | Presence::Optional => quote!(#access.#field.as_ref()?),
            Presence::OptionalNullable => quote!(#access.#field.as_ref()?.as_ref()?),
        };
    }
    let field = ident(&last.rust_name);
    let value = quote!(#access.#field);
    if matches!(path.leaf, Leaf::Number(_)) {
        let number = match last.presence {
            Presence::OptionalNullable => quote!(#value.flatten()),
            presence if presence.is_option() => value,
            _ => quote!(::std::option::Option::Some(#value)),
        };
        // A code written `5000` or `5000.0` is 5000; `1.5` is no code.
        return quote!(#number.filter(|code| code.fract() == 0.0).map(|code| code as i64));
    }
    if matches!(path.leaf, Leaf::StringEnum(_)) {
        return match last.presence {
            Presence::OptionalNullable => {
                quote!(#value.as_ref().and_then(|code| code.as_ref()).map(|code| code.as_str()))
            }
            presence if presence.is_option() => quote!(#value.as_ref().map(|code| code.as_str())),
            _ => quote!(::std::option::Option::Some(#value.as_str())),
        };
    }
    let is_i64 = matches!(path.leaf, Leaf::Integer(TypeRef::I64));
    if last.presence == Presence::OptionalNullable {
        // `Option<Option<T>>` reads as `Option<T>`.
        return match path.leaf {
            Leaf::String => quote!(#value.as_ref().and_then(|value| value.as_deref())),
            _ if is_i64 => quote!(#value.flatten()),
            _ => quote!(#value.flatten().map(i64::from)),
        };
    }
    match (&path.leaf, last.presence.is_option()) {
        (Leaf::String, true) => quote!(#value.as_deref()),
        (Leaf::String, false) => quote!(::std::option::Option::Some(#value.as_str())),
        (_, true) if is_i64 => value,
        (_, true) => quote!(#value.map(i64::from)),
        (_, false) if is_i64 => quote!(::std::option::Option::Some(#value)),
        (_, false) => quote!(::std::option::Option::Some(i64::from(#value))),
    }
}
