//! Tests live in `tests/`: golden files of the generator and behaviour of the generated client.
