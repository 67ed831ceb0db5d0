//! Completion of command names from the spec: what the terminal offers on Tab.

use atspec::dynamic::CommandInfo;
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};

/// The start of every command shape a package declares: its syntax up to the first
/// placeholder or optional part (`AT+XOPEN=`, `AT+XPARA="URL",`, `AT+CSQ`).
#[derive(Debug, Clone)]
pub struct CommandCompleter {
    starts: Vec<String>,
}

impl CommandCompleter {
    /// The completer of the commands `commands`.
    pub fn new(commands: &[CommandInfo]) -> Self {
        let mut starts: Vec<String> = commands
            .iter()
            .map(|c| {
                let end = c.syntax.find(['<', '[']).unwrap_or(c.syntax.len());
                c.syntax[..end].to_owned()
            })
            .filter(|s| !s.is_empty())
            .collect();
        starts.sort();
        starts.dedup();
        Self { starts }
    }

    /// The starts that begin with `typed`, in any case.
    pub fn candidates(&self, typed: &str) -> Vec<String> {
        let typed = typed.to_ascii_uppercase();
        self.starts
            .iter()
            .filter(|s| s.to_ascii_uppercase().starts_with(&typed))
            .cloned()
            .collect()
    }
}

impl Completer for CommandCompleter {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        // A command line is one word: complete it from its start.
        Ok((0, self.candidates(&line[..pos])))
    }
}

impl Hinter for CommandCompleter {
    type Hint = String;
}

impl Highlighter for CommandCompleter {}

impl Validator for CommandCompleter {}

impl Helper for CommandCompleter {}

#[cfg(test)]
mod tests {
    use atspec::Form;

    use super::*;

    fn info(syntax: &'static str) -> CommandInfo {
        CommandInfo {
            name: "+X",
            form: Form::Write,
            syntax,
            summary: "",
            source: "",
            secret: false,
        }
    }

    #[test]
    fn offers_each_shape_up_to_its_first_placeholder_in_any_case() {
        let completer = CommandCompleter::new(&[
            info("AT+XOPEN=<mode>"),
            info("AT+XOPEN?"),
            info("AT+XPARA=\"URL\",<url>"),
            info("AT+XPARA=\"CID\",<cid>"),
            info("AT+XLIST[=<dir>]"),
            info("AT+XOPEN=<other>"),
        ]);
        assert_eq!(completer.candidates("at+xo"), ["AT+XOPEN=", "AT+XOPEN?"]);
        assert_eq!(
            completer.candidates("AT+XPARA"),
            ["AT+XPARA=\"CID\",", "AT+XPARA=\"URL\","]
        );
        assert_eq!(completer.candidates("AT+XL"), ["AT+XLIST"]);
        assert!(completer.candidates("AT+Y").is_empty());
    }
}
