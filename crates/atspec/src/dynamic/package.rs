//! A generated package as a value: its facts and parsers.

use super::{AnyCommand, AnyModem, BoxTransport};
use crate::client::{Config, DecodedLine};
use crate::command::Form;
use crate::dialect::Dialect;
use crate::parse::ParseError;

/// One command shape of a package, for listings and completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    /// The command's name as the manual writes it (`+SETPARAM`).
    pub name: &'static str,
    /// The form.
    pub form: Form,
    /// The syntax as the manual gives it (`AT+SETPARAM=<mode>`).
    pub syntax: &'static str,
    /// The spec's one-line summary.
    pub summary: &'static str,
    /// Where the manual describes it (manual id and section).
    pub source: &'static str,
    /// Whether a parameter is secret (a password), so logs must not show the line
    /// as typed.
    pub secret: bool,
}

/// One module family of a package (models whose facts differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyInfo {
    /// The family's id in the spec (`snake_case`).
    pub id: &'static str,
    /// The family as its manuals name it.
    pub title: &'static str,
    /// The package's module names that belong to it.
    pub modules: &'static [&'static str],
}

/// A generated package, for code that picks the modem at run time.
pub trait Package: Sync {
    /// The package's name in its spec (`snake_case`), as [`Driver::NAME`](crate::Driver::NAME).
    fn id(&self) -> &'static str;

    /// The modem series as its manuals name it.
    fn title(&self) -> &'static str;

    /// The vendor.
    fn vendor(&self) -> &'static str;

    /// The module names the package covers, as `AT+CGMM` and `ATI` report them.
    fn modules(&self) -> &'static [&'static str];

    /// The module families whose facts differ; empty when one set of facts covers
    /// every module.
    fn families(&self) -> &'static [FamilyInfo];

    /// The package's dialect: terminator, final results, prompts.
    fn dialect(&self) -> &'static Dialect;

    /// Every command shape, the package's own and those of the packages it builds on.
    fn commands(&self) -> Vec<CommandInfo>;

    /// Reads a command line (without its terminator) as the modem would, checking
    /// every value against the spec.
    fn parse_command(&self, line: &[u8]) -> Result<Box<dyn AnyCommand>, ParseError>;

    /// Reads a line as one of the package's URCs: `None` when no URC starts that
    /// way, `Some(Err)` when one does but the line does not fit it.
    fn decode_urc(&self, line: &[u8]) -> Option<Result<DecodedLine, ParseError>>;

    /// Starts the package's `Modem` on `transport`. Must be called inside a tokio
    /// runtime.
    fn open(&self, transport: BoxTransport, config: Config) -> Box<dyn AnyModem>;
}

impl std::fmt::Debug for dyn Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package").field("id", &self.id()).finish()
    }
}

/// The command name of command line `line`: what follows the two-byte `AT` prefix
/// up to `=`, `?` or the end (`+NAME` in `AT+NAME=…`).
pub fn command_name(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .position(|&b| b == b'=' || b == b'?')
        .unwrap_or(line.len());
    line.get(2..end).unwrap_or_default()
}

/// The entries of `commands` (one per form) that `line` names, in any case.
pub fn commands_named<'a>(
    line: &[u8],
    commands: &'a [CommandInfo],
) -> impl Iterator<Item = &'a CommandInfo> {
    let name = command_name(line);
    commands
        .iter()
        .filter(move |c| c.name.as_bytes().eq_ignore_ascii_case(name))
}

/// A command-line parser of one package, as [`parse_with`] takes them.
pub type CommandParser = fn(&[u8]) -> Result<Box<dyn AnyCommand>, ParseError>;

/// Reads `line` with each parser in turn (a package's own commands, then those of
/// the packages it builds on) and returns the first command read. When none reads
/// it, the error is that of the parser that read furthest into the line: it knew
/// the command, so its error says what is wrong with the value. When no parser
/// read past the command's name, the error says instead that `commands` has no
/// command of that name, or lists the forms it has.
pub fn parse_with(
    line: &[u8],
    parsers: &[CommandParser],
    commands: &[CommandInfo],
) -> Result<Box<dyn AnyCommand>, ParseError> {
    let mut best: Option<ParseError> = None;
    for parse in parsers {
        match parse(line) {
            Ok(command) => return Ok(command),
            Err(e) => {
                if best.as_ref().is_none_or(|b| e.column > b.column) {
                    best = Some(e);
                }
            }
        }
    }
    let name = command_name(line);
    match best {
        Some(best) if best.column > 2 + name.len() => Err(best),
        _ => {
            let forms: Vec<&str> = commands_named(line, commands).map(|c| c.syntax).collect();
            let name = String::from_utf8_lossy(name);
            let expected = if forms.is_empty() {
                format!("a command of this package (none is named `{name}`)")
            } else {
                format!("one of the forms of `{name}`: {}", forms.join(", "))
            };
            Err(ParseError::new(line, 0, expected))
        }
    }
}
