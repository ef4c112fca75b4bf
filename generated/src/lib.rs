// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! A client of the Linq Partner API (API version 3.0.0).
//!
//! The Linq Partner API v3 lets partners send and manage iMessage, RCS and SMS
//! conversations. This document describes the typing indicator endpoints and the
//! error envelope that every endpoint of the API shares.
//!
//! # Example
//!
//! ```no_run
//! # async fn example() -> Result<(), linq_api_v3::Error> {
//! use linq_api_v3::{Client, Uuid};
//!
//! let client = Client::builder()
//!     .api_key("...") // else LINQ_API_V3_API_KEY
//!     .base_url("http://127.0.0.1:8080") // else LINQ_API_V3_BASE_URL, else the spec's server
//!     .build()?;
//! let chat_id = Uuid::from_u128(0x550e8400_e29b_41d4_a716_446655440000);
//! client.chats().typing().start(chat_id).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Configuration
//!
//! | setting | builder | environment | default |
//! |---|---|---|---|
//! | API key | [`ClientBuilder::api_key`] | `LINQ_API_V3_API_KEY` | none: required |
//! | base URL | [`ClientBuilder::base_url`] | `LINQ_API_V3_BASE_URL` | `https://api.linqapp.com/api/partner` |
//! | retries | [`ClientBuilder::max_retries`] | | 2 |
//! | time to the response's headers, per attempt | [`ClientBuilder::timeout`] | | 60 s |
//! | time a body may stall | [`ClientBuilder::read_timeout`] | | 60 s |
//! | time to connect | [`ClientBuilder::connect_timeout`] | | 5 s |
//!
//! A value given to the builder wins over the environment. The base URL may
//! have a path, which every request's path is appended to, but no query or
//! fragment. Every operation
//! returns a [`Request`], awaited directly or tuned first with
//! [`Request::timeout`], [`Request::read_timeout`], [`Request::max_retries`],
//! [`Request::header`] and [`Request::extra_query`];
//! [`Request::into_byte_stream`] reads a body as it arrives.
#![warn(missing_docs)]
// Descriptions come from the spec, written for a web page rather than rustdoc.
#![allow(
    rustdoc::bare_urls,
    rustdoc::broken_intra_doc_links,
    rustdoc::invalid_html_tags,
    clippy::doc_lazy_continuation,
    clippy::doc_overindented_list_items
)]
// A type nested as deep as the spec nests its schemas (arrays of maps of
// maps) is the spec's shape: naming its parts would invent names it lacks.
#![allow(clippy::type_complexity)]

mod client;
mod encode;
mod error;
mod request;
mod stream;
// Formatted by prettyplease when generated: rustfmt would only reflow them.
#[rustfmt::skip]
pub mod resources;
#[rustfmt::skip]
pub mod types;

pub use client::{Client, ClientBuilder, API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL};
pub use error::{ApiError, Error, TimeoutPhase, UnexpectedResponse};
pub use request::{Request, Response};
pub use stream::ByteStream;
pub use types::*;

pub use bytes::Bytes;
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;
pub use uuid::Uuid;
