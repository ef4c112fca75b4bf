//! Generates the Linq typing client into `OUT_DIR` as the module `linq`,
//! with an overlay that renames one of its methods: the spec is read as it
//! is, never edited.

fn main() {
    generator::build::Module::new("linq", "../../spec/openapi.yaml")
        .overlay("begin.overlay.yaml")
        .generate()
        .unwrap_or_else(|failure| panic!("{failure}"));
}
