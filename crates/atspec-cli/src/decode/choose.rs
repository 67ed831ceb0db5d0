//! Which package explains the capture: the one `--modem` names, or the one
//! whose specs read the most of its lines.

use std::fmt;

use atspec::dynamic::Package;

use super::format::{Format, Stream};
use super::model::Entry;
use super::session::explain;

/// A capture explained by one package.
pub struct Decoded<'p> {
    /// The package.
    pub package: &'p dyn Package,
    /// The capture's format.
    pub format: Format,
    /// The explained lines.
    pub entries: Vec<Entry>,
    /// How the format and the package were chosen, in words.
    pub header: Vec<String>,
}

/// Why a capture could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// `--modem` names no package.
    UnknownPackage {
        /// The name given.
        name: String,
        /// The packages there are.
        known: Vec<&'static str>,
    },
    /// No package is built in.
    NoPackages,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownPackage { name, known } => write!(
                f,
                "no package is named `{name}`; there are: {}",
                known.join(", ")
            ),
            DecodeError::NoPackages => f.write_str("no package is built in"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Explains `input` with the package named `modem`, or without one with the
/// package of `packages` whose specs read the most lines (the first of those
/// that read as many).
pub fn choose<'p>(
    packages: &[&'p dyn Package],
    modem: Option<&str>,
    input: &[u8],
    show_secrets: bool,
) -> Result<Decoded<'p>, DecodeError> {
    let stream = Stream::new(input);
    let format = stream.format;
    let mut header = vec![format!("format: {}", format.describe())];
    if let Some(name) = modem {
        let package = find(packages, name).ok_or_else(|| DecodeError::UnknownPackage {
            name: name.to_owned(),
            known: packages.iter().map(|p| p.id()).collect(),
        })?;
        let entries = explain(package, stream, show_secrets);
        header.push(format!(
            "package: {} ({}), as --modem says; {}",
            package.id(),
            package.title(),
            read_count(&entries)
        ));
        return Ok(Decoded {
            package,
            format,
            entries,
            header,
        });
    }
    let mut tried: Vec<(&'p dyn Package, Vec<Entry>)> = packages
        .iter()
        .map(|p| (*p, explain(*p, stream.clone(), show_secrets)))
        .collect();
    let best = tried
        .iter()
        .map(|(_, entries)| read(entries))
        .max()
        .ok_or(DecodeError::NoPackages)?;
    let first = tried
        .iter()
        .position(|(_, entries)| read(entries) == best)
        .unwrap_or_default();
    let also: Vec<&str> = tried
        .iter()
        .skip(first + 1)
        .filter(|(_, entries)| read(entries) == best)
        .map(|(p, _)| p.id())
        .collect();
    let (package, entries) = tried.swap_remove(first);
    let mut line = format!(
        "package: {} ({}), picked: {}, the most",
        package.id(),
        package.title(),
        read_count(&entries)
    );
    if !also.is_empty() {
        line += &format!(
            "; {} read as many (equally good; name one with --modem)",
            also.join(", ")
        );
    }
    header.push(line);
    Ok(Decoded {
        package,
        format,
        entries,
        header,
    })
}

/// The package named `name` (`-` and `_` alike).
fn find<'p>(packages: &[&'p dyn Package], name: &str) -> Option<&'p dyn Package> {
    let norm = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    packages
        .iter()
        .copied()
        .find(|p| norm(p.id()) == norm(name))
}

fn read(entries: &[Entry]) -> usize {
    entries.iter().filter(|e| e.read).count()
}

fn read_count(entries: &[Entry]) -> String {
    format!(
        "its specs read {} of {} lines",
        read(entries),
        entries.len()
    )
}
