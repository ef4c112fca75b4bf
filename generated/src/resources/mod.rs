// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! The API's resources: handles that group its operations, reached from [`Client`](crate::Client).

mod chats;

pub use chats::{Chats, ChatsTyping};
