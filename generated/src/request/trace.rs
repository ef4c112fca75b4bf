// @generated from spec/openapi.yaml by the OpenAPI client generator. Do not edit: change the spec, the generator or its templates, then run `cargo run -p generator`.

//! The request's `tracing` span, kept at hand: looking up the current span
//! on every record would cost more than the record. Nothing without the feature.

use std::time::Duration;
#[cfg(feature = "tracing")]
use std::time::Instant;

use reqwest::{Method, StatusCode};

pub(crate) struct Trace {
    #[cfg(feature = "tracing")]
    pub(crate) span: tracing::Span,
    /// When the request started; read only for a span that records.
    #[cfg(feature = "tracing")]
    started: Option<Instant>,
}

#[cfg(feature = "tracing")]
impl Trace {
    pub(crate) fn new(method: &Method, path_template: &'static str) -> Self {
        let span = tracing::info_span!(
            "request",
            method = %method,
            path = path_template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        Trace {
            span,
            started: None,
        }
    }

    /// Starts the clock, for a span that records.
    pub(crate) fn start(&mut self) {
        if !self.span.is_disabled() {
            self.started = Some(Instant::now());
        }
    }

    pub(crate) fn attempt(&self, attempt: u32) {
        self.span.record("attempt", attempt);
    }

    pub(crate) fn status(&self, status: StatusCode) {
        self.span.record("status", status.as_u16());
    }

    /// Records the time since the request started.
    pub(crate) fn elapsed(&self) {
        if let Some(started) = self.started {
            let elapsed = started.elapsed().as_millis() as u64;
            self.span.record("elapsed_ms", elapsed);
        }
    }

    pub(crate) fn retry(&self, attempts: u32, delay: Duration) {
        tracing::debug!(
            parent: &self.span,
            attempts,
            delay_ms = delay.as_millis() as u64,
            "retrying"
        );
    }
}

#[cfg(not(feature = "tracing"))]
impl Trace {
    pub(crate) fn new(_: &Method, _: &'static str) -> Self {
        Trace {}
    }

    pub(crate) fn start(&mut self) {}

    pub(crate) fn attempt(&self, _: u32) {}

    pub(crate) fn status(&self, _: StatusCode) {}

    pub(crate) fn elapsed(&self) {}

    pub(crate) fn retry(&self, _: u32, _: Duration) {}
}
