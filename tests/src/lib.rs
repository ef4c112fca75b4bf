//! Tests of the project live in `tests/`: golden files of the generator and
//! the generated client's behaviour against a real HTTP server.
//!
//! The project's README is included below, so that its Rust examples are
//! compiled as doctests and cannot drift from the generated client.
#![doc = include_str!("../../README.md")]
