//! The spec packages the tool knows, looked up by name.

use atspec::dynamic::Package;

use crate::exit::Failure;

/// The package named `name` (`snake_case` as in its spec; `-` is taken for `_`).
pub fn find(name: &str) -> Result<&'static dyn Package, Failure> {
    let id = name.replace('-', "_");
    atspec_packages::find(&id).ok_or_else(|| {
        Failure::usage(format!(
            "no spec package is named `{name}`; known: {}",
            names().join(", ")
        ))
    })
}

/// Every package's name.
pub fn names() -> Vec<&'static str> {
    atspec_packages::names()
}
