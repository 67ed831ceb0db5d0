//! `atspec identify`: ask the module who it is (the V.250 and 3GPP identification
//! commands) and name the spec package, module and family that fit its answers.

use std::sync::OnceLock;
use std::time::Duration;

use atspec::dynamic::{BoxTransport, Package};
use atspec::{AtError, Client, Config, Dialect, ParseError, RawCommand, ResultPattern, UrcSet};

/// The identification commands, in the order they are sent: some modules answer
/// only some of them (a Wi-Fi module may refuse `ATI` and give its version to
/// `AT+GMR`).
pub const QUESTIONS: &[&str] = &["ATI", "AT+CGMI", "AT+CGMM", "AT+CGMR", "AT+GMR"];

/// How long each question may take.
const WAIT: Duration = Duration::from_secs(3);

/// What the module answered, and which packages fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identification {
    /// Each question with the lines of its answer; `None` for a question the
    /// module refused.
    pub answers: Vec<(&'static str, Option<Vec<String>>)>,
    /// The packages whose module names appear in the answers, best first.
    pub fits: Vec<Fit>,
}

/// A package that fits the answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// The package.
    pub package: &'static str,
    /// The package's title.
    pub title: &'static str,
    /// The module name of the package found in the answers.
    pub module: &'static str,
    /// The family of that module, where the package has families: id and title.
    pub family: Option<(&'static str, &'static str)>,
}

/// No URCs are read while identifying: every line belongs to an answer.
#[derive(Debug, Clone)]
struct NoUrcs;

impl UrcSet for NoUrcs {
    fn parse(_: &[u8]) -> Option<Result<Self, ParseError>> {
        None
    }
}

/// A dialect any module understands before its package is known: lines end with
/// CR LF (a module that ends lines at CR ignores the LF) and every package's final
/// results end an answer.
fn probe_dialect(packages: &[&'static dyn Package]) -> &'static Dialect {
    static PROBE: OnceLock<Dialect> = OnceLock::new();
    PROBE.get_or_init(|| {
        let results: Vec<ResultPattern> = packages
            .iter()
            .flat_map(|p| p.dialect().results.iter().copied())
            .collect();
        Dialect {
            name: "probe",
            terminator: "\r\n",
            max_command_len: None,
            results: Vec::leak(results),
            prompts: &[],
            urc_prefixes: &[],
        }
    })
}

/// Asks the module on `transport` every question and matches the answers against
/// `packages`.
pub async fn identify(
    transport: BoxTransport,
    packages: &[&'static dyn Package],
) -> Result<Identification, AtError> {
    let client: Client<NoUrcs> = Client::new(transport, probe_dialect(packages), Config::default());
    let mut answers = Vec::new();
    for question in QUESTIONS {
        let command = RawCommand::new(*question)?.timeout(WAIT);
        let answer = match client.send_raw(&command).await {
            Ok(response) if response.is_ok() => Some(
                response
                    .lines
                    .iter()
                    .map(|l| String::from_utf8_lossy(l).trim().to_owned())
                    .filter(|l| !l.is_empty() && !l.eq_ignore_ascii_case(question))
                    .collect(),
            ),
            Ok(_) | Err(AtError::Timeout { .. }) => None,
            Err(e) => return Err(e),
        };
        answers.push((*question, answer));
    }
    let texts: Vec<&str> = answers
        .iter()
        .filter_map(|(_, a)| a.as_ref())
        .flatten()
        .map(String::as_str)
        .collect();
    Ok(Identification {
        fits: fits(&texts, packages),
        answers,
    })
}

/// The packages one of whose module names appears in `texts`, best first: the
/// longest name found wins (`XM100L` over `XM100`). A module name is matched by
/// its first word (`XM200` of `XM200 series`), in any case.
pub fn fits(texts: &[&str], packages: &[&'static dyn Package]) -> Vec<Fit> {
    let upper: Vec<String> = texts.iter().map(|t| t.to_ascii_uppercase()).collect();
    let mut found: Vec<(usize, Fit)> = Vec::new();
    for package in packages {
        let best = package
            .modules()
            .iter()
            .filter_map(|module| {
                let word = module.split_whitespace().next()?.to_ascii_uppercase();
                upper
                    .iter()
                    .any(|t| t.contains(&word))
                    .then_some((word.len(), *module))
            })
            .max_by_key(|(len, _)| *len);
        if let Some((len, module)) = best {
            let family = package
                .families()
                .iter()
                .find(|f| f.modules.contains(&module))
                .map(|f| (f.id, f.title));
            found.push((
                len,
                Fit {
                    package: package.id(),
                    title: package.title(),
                    module,
                    family,
                },
            ));
        }
    }
    found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.package.cmp(b.1.package)));
    found.into_iter().map(|(_, fit)| fit).collect()
}

impl Identification {
    /// The answers and the verdict as a person reads them.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for (question, answer) in &self.answers {
            match answer {
                Some(lines) if !lines.is_empty() => {
                    out.push_str(&format!("{question}: {}\n", lines.join(" | ")))
                }
                Some(_) => out.push_str(&format!("{question}: (no text)\n")),
                None => out.push_str(&format!("{question}: refused\n")),
            }
        }
        match self.fits.as_slice() {
            [] => out.push_str("no package fits: no module name of any spec is in the answers\n"),
            [best, rest @ ..] => {
                out.push_str(&format!(
                    "package: {} ({}), module {}",
                    best.package, best.title, best.module
                ));
                if let Some((id, title)) = best.family {
                    out.push_str(&format!(", family {id} ({title})"));
                }
                out.push('\n');
                for other in rest {
                    out.push_str(&format!(
                        "also fits: {} (module {})\n",
                        other.package, other.module
                    ));
                }
            }
        }
        out
    }

    /// The answers and the fits as one JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        let answers: serde_json::Map<String, serde_json::Value> = self
            .answers
            .iter()
            .map(|(q, a)| ((*q).to_owned(), serde_json::json!(a)))
            .collect();
        let fits: Vec<serde_json::Value> = self
            .fits
            .iter()
            .map(|f| {
                serde_json::json!({
                    "package": f.package,
                    "title": f.title,
                    "module": f.module,
                    "family": f.family.map(|(id, _)| id),
                })
            })
            .collect();
        serde_json::json!({ "answers": answers, "fits": fits })
    }
}

/// Runs `atspec identify` on the line `connection` names.
pub async fn run(
    connection: crate::args::Connection,
    json: bool,
) -> Result<(), crate::exit::Failure> {
    let (line, _emulator) =
        crate::connect::open_line(&connection, crate::connect::EmulatorSetup::default()).await?;
    let found = identify(line, atspec_packages::PACKAGES)
        .await
        .map_err(|e| crate::exit::Failure::from(&e))?;
    if json {
        println!("{}", found.to_json());
    } else {
        print!("{}", found.to_text());
    }
    if found.fits.is_empty() {
        return Err(crate::exit::Failure::new(
            crate::exit::Kind::Modem,
            "no spec package fits this module",
        ));
    }
    Ok(())
}
