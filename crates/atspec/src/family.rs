//! Module families: the models of one package whose facts differ (a longer string
//! limit, a command only some of them have).
//!
//! A generated package with families has a `Model` enum implementing [`Family`];
//! its commands keep `new`, which checks the limits common to every family, and
//! gain `new_for(model, ...)`, which checks that family's limits and refuses, with
//! [`ParamError::Unavailable`](crate::ParamError::Unavailable), a command the
//! family lacks.

use std::fmt;

/// The module families of a package.
pub trait Family: Copy + Eq + fmt::Debug + 'static {
    /// Every family, in the order the package lists them.
    const ALL: &'static [Self];

    /// The family's id in the spec (`snake_case`), as error messages name it.
    fn id(self) -> &'static str;

    /// The family as its manuals name it.
    fn title(self) -> &'static str;
}
