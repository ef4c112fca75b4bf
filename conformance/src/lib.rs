//! The conformance runner's infrastructure: a validating mock server (Stoplight
//! Prism) started and stopped from Rust, per-operation slices of a spec that
//! Prism can load, schema-valid values synthesized from a spec's schemas, the
//! spec's own examples checked against their schemas, and a loopback recorder
//! of raw requests. See `conformance/README.md`.

pub mod client;
pub mod corpus;
pub mod coverage;
pub mod document;
pub mod driver;
pub mod encode;
pub mod examples;
pub mod limits;
pub mod plan;
pub mod prism;
pub mod recorder;
pub mod reference;
pub mod refs;
pub mod runner;
pub mod schema;
pub mod slice;
pub mod synth;
