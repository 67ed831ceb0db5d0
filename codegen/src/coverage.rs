//! What the manuals list against what the specs hold: `cargo xtask coverage`.

use std::fmt;

use crate::diag::Diagnostic;
use crate::flows::FlowTag;
use crate::load::RawPackage;

/// Coverage of one manual of one package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManualCoverage {
    /// Package name.
    pub package: String,
    /// Manual id.
    pub manual: String,
    /// Commands the manual lists.
    pub commands_listed: usize,
    /// Listed commands with no spec.
    pub commands_missing: Vec<String>,
    /// Example sections the manual has.
    pub examples_listed: usize,
    /// Listed example sections with no spec example (and so no golden test).
    pub examples_missing: Vec<String>,
    /// Listed example sections no end-to-end test is tagged as running
    /// (see [`crate::flows`]).
    pub flows_missing: Vec<String>,
    /// Why the missing flows are accepted for now (the index's `flows_pending`).
    pub flows_pending: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// One row per indexed manual.
    pub manuals: Vec<ManualCoverage>,
    /// Packages without a `manual-index.yaml`.
    pub unindexed: Vec<String>,
}

impl Coverage {
    /// Whether every listed command and example is specified, and every example
    /// runs end to end.
    pub fn complete(&self) -> bool {
        self.manuals.iter().all(|m| {
            m.commands_missing.is_empty()
                && m.examples_missing.is_empty()
                && (m.flows_missing.is_empty() || m.flows_pending.is_some())
        })
    }
}

/// Normalises a command name for comparison: `AT+HTTPINIT`, `+httpinit` -> `+HTTPINIT`,
/// `ATE` -> `E`, `AT` -> ``.
fn normalise(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper.strip_prefix("AT").unwrap_or(&upper).to_owned()
}

/// Compares every package's manual index with its specs and with the end-to-end
/// flow tags of the tests. An index naming an unknown manual, or a tag naming a
/// section no index lists, is a diagnostic.
pub fn coverage(packages: &[RawPackage], tags: &[FlowTag]) -> Result<Coverage, Vec<Diagnostic>> {
    let mut report = Coverage {
        manuals: Vec::new(),
        unindexed: Vec::new(),
    };
    let mut diags = Vec::new();
    for package in packages {
        let Some((file, index)) = &package.index else {
            report.unindexed.push(package.spec.package.value.clone());
            continue;
        };
        let specified: Vec<String> = package
            .modules
            .iter()
            .flat_map(|(_, m)| &m.commands)
            .map(|c| normalise(&c.name))
            .collect();
        for manual in &index.manuals {
            if !package
                .spec
                .manuals
                .iter()
                .any(|m| m.id.value == manual.manual.value)
            {
                diags.push(Diagnostic::at(
                    &file.path,
                    &file.text,
                    manual.manual.line,
                    manual.manual.column,
                    format!("unknown manual `{}`", manual.manual.value),
                ));
                continue;
            }
            let commands_missing = manual
                .commands
                .iter()
                .filter(|c| !specified.contains(&normalise(c)))
                .map(|c| c.value.clone())
                .collect();
            // The listed sections `covered` does not hold for, as the report names them.
            let uncovered = |covered: &dyn Fn(&str) -> bool| -> Vec<String> {
                manual
                    .examples
                    .iter()
                    .filter(|e| !covered(e.section.as_str()))
                    .map(|e| format!("§{} {}", e.section.value, e.title))
                    .collect()
            };
            let examples_missing = uncovered(&|section| {
                package
                    .modules
                    .iter()
                    .flat_map(|(_, m)| &m.examples)
                    .any(|x| {
                        x.source.manual.value == manual.manual.value
                            && x.source.section.as_deref() == Some(section)
                    })
            });
            let flows_missing = uncovered(&|section| {
                tags.iter().any(|t| {
                    t.folder == package.folder
                        && t.manual == manual.manual.value
                        && t.section == section
                })
            });
            report.manuals.push(ManualCoverage {
                package: package.spec.package.value.clone(),
                manual: manual.manual.value.clone(),
                commands_listed: manual.commands.len(),
                commands_missing,
                examples_listed: manual.examples.len(),
                examples_missing,
                flows_missing,
                flows_pending: manual.flows_pending.clone(),
            });
        }
    }
    diags.extend(unknown_tags(packages, tags));
    if diags.is_empty() {
        Ok(report)
    } else {
        Err(diags)
    }
}

/// Tags naming a folder, manual or section that no manual index lists.
fn unknown_tags(packages: &[RawPackage], tags: &[FlowTag]) -> Vec<Diagnostic> {
    tags.iter()
        .filter(|tag| {
            !packages.iter().any(|p| {
                p.folder == tag.folder
                    && p.index.as_ref().is_some_and(|(_, index)| {
                        index.manuals.iter().any(|m| {
                            m.manual.value == tag.manual
                                && m.examples.iter().any(|e| e.section.value == tag.section)
                        })
                    })
            })
        })
        .map(|tag| {
            tag.diagnostic(format!(
                "no manual index lists example section \"{}\" of manual `{}` in specs/{}",
                tag.section, tag.manual, tag.folder
            ))
        })
        .collect()
}

impl fmt::Display for Coverage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<10} {:<8} {:>10} {:>10} {:>10}",
            "package", "manual", "commands", "examples", "e2e flows"
        )?;
        for m in &self.manuals {
            let commands = format!(
                "{}/{}",
                m.commands_listed - m.commands_missing.len(),
                m.commands_listed
            );
            let examples = format!(
                "{}/{}",
                m.examples_listed - m.examples_missing.len(),
                m.examples_listed
            );
            let flows = format!(
                "{}/{}",
                m.examples_listed - m.flows_missing.len(),
                m.examples_listed
            );
            writeln!(
                f,
                "{:<10} {:<8} {:>10} {:>10} {:>10}",
                m.package, m.manual, commands, examples, flows
            )?;
            for missing in &m.commands_missing {
                writeln!(f, "    missing command: {missing}")?;
            }
            for missing in &m.examples_missing {
                writeln!(f, "    missing example: {missing}")?;
            }
            if let (Some(why), false) = (&m.flows_pending, m.flows_missing.is_empty()) {
                writeln!(f, "    end-to-end flows pending: {why}")?;
            }
            for missing in &m.flows_missing {
                writeln!(f, "    no end-to-end flow: {missing}")?;
            }
        }
        for package in &self.unindexed {
            writeln!(f, "{package:<10} (no manual-index.yaml)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn names_compare_without_at_and_case() {
        assert_eq!(normalise("AT+HTTPINIT"), "+HTTPINIT");
        assert_eq!(normalise("+httpinit"), "+HTTPINIT");
        assert_eq!(normalise("ATE"), "E");
        assert_eq!(normalise("AT"), "");
    }
}
