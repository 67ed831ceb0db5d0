//! A vendor's line vocabulary as data: final result codes, prompts, URC prefixes.
//!
//! Generated crates export one [`Dialect`] constant; the runtime classifies every
//! line the modem sends with it and so never needs to know which vendor it talks to.

/// What a final result code says about the command it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResultKind {
    /// The command succeeded (`OK`, `SEND OK`, `SET OK`).
    Ok,
    /// The command failed (`ERROR`, `+CME ERROR: <err>`, `SEND FAIL`).
    Error,
    /// Not final by itself: a line that qualifies the error result following it
    /// (for example an error-code line printed just before `ERROR`).
    Detail,
    /// The modem ignored the line because an earlier command is still running
    /// (`busy p...`): a failure of the line just sent that says nothing of the
    /// earlier command, whose own result is still to come.
    Busy,
}

/// One result code of a dialect.
#[derive(Debug, Clone, Copy)]
pub struct ResultPattern {
    /// The text, or for coded results the text before the code (`+CME ERROR:`).
    pub text: &'static str,
    /// Whether a code follows the text.
    pub coded: bool,
    /// What the result says.
    pub kind: ResultKind,
    /// Looks up the meaning of a code in the spec's code table (numeric or text form).
    pub meaning: Option<fn(&str) -> Option<&'static str>>,
}

/// A prompt after which the modem waits for raw data from the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prompt {
    /// The prompt text (`>`, `DOWNLOAD`, `CONNECT`).
    pub text: &'static str,
    /// Whether the prompt is a full line ended by CR LF (`DOWNLOAD`) or bare (`> `).
    pub line: bool,
}

/// A vendor's vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    /// The spec package this dialect comes from.
    pub name: &'static str,
    /// Bytes that end a command line.
    pub terminator: &'static str,
    /// Longest command line the modem accepts, if the manual gives it.
    pub max_command_len: Option<usize>,
    /// Final result codes.
    pub results: &'static [ResultPattern],
    /// Data prompts.
    pub prompts: &'static [Prompt],
    /// Literal prefixes of every URC the spec describes.
    pub urc_prefixes: &'static [&'static str],
}

/// A final result code found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalResult {
    /// What it says.
    pub kind: ResultKind,
    /// The pattern's text.
    pub text: &'static str,
    /// The code, for coded results, as sent (trimmed).
    pub code: Option<String>,
    /// The code's meaning from the spec's table, if it is listed.
    pub meaning: Option<&'static str>,
}

/// What a complete line is, according to a dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineClass {
    /// A final (or error-detail) result code.
    Result(FinalResult),
    /// A data prompt.
    Prompt(Prompt),
    /// A line starting with a URC prefix; the payload is the matching prefix.
    Urc(&'static str),
    /// Anything else: information text of the running command.
    Text,
}

impl Dialect {
    /// Classifies one line (without CR LF).
    ///
    /// Exact results win over coded ones, and longer prefixes over shorter ones, so
    /// `SEND OK` is never mistaken for `OK`-prefixed text.
    pub fn classify(&self, line: &[u8]) -> LineClass {
        if let Some(result) = self.final_result(line) {
            return LineClass::Result(result);
        }
        if let Some(prompt) = self
            .prompts
            .iter()
            .find(|p| trim_end(line) == p.text.trim_end().as_bytes())
        {
            return LineClass::Prompt(*prompt);
        }
        let urc = self
            .urc_prefixes
            .iter()
            .filter(|p| crate::parse::starts_like(line, p))
            .max_by_key(|p| p.len());
        match urc {
            Some(prefix) => LineClass::Urc(prefix),
            None => LineClass::Text,
        }
    }

    /// The final result code on `line`, if it is one.
    pub fn final_result(&self, line: &[u8]) -> Option<FinalResult> {
        let line = trim_end(line);
        let exact = self
            .results
            .iter()
            .find(|r| !r.coded && line == r.text.as_bytes());
        if let Some(r) = exact {
            return Some(FinalResult {
                kind: r.kind,
                text: r.text,
                code: None,
                meaning: None,
            });
        }
        let coded = self
            .results
            .iter()
            .filter(|r| r.coded && line.starts_with(r.text.as_bytes()))
            .max_by_key(|r| r.text.len())?;
        let code = String::from_utf8_lossy(&line[coded.text.len()..])
            .trim()
            .to_owned();
        let meaning = coded.meaning.and_then(|lookup| lookup(&code));
        Some(FinalResult {
            kind: coded.kind,
            text: coded.text,
            code: Some(code),
            meaning,
        })
    }
}

fn trim_end(mut line: &[u8]) -> &[u8] {
    while let [head @ .., b' ' | b'\r' | b'\n'] = line {
        line = head;
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meaning(code: &str) -> Option<&'static str> {
        (code == "3").then_some("operation not allowed")
    }

    const DIALECT: Dialect = Dialect {
        name: "test",
        terminator: "\r",
        max_command_len: None,
        results: &[
            ResultPattern {
                text: "OK",
                coded: false,
                kind: ResultKind::Ok,
                meaning: None,
            },
            ResultPattern {
                text: "SEND OK",
                coded: false,
                kind: ResultKind::Ok,
                meaning: None,
            },
            ResultPattern {
                text: "ERROR",
                coded: false,
                kind: ResultKind::Error,
                meaning: None,
            },
            ResultPattern {
                text: "+CME ERROR:",
                coded: true,
                kind: ResultKind::Error,
                meaning: Some(meaning),
            },
        ],
        prompts: &[Prompt {
            text: "DOWNLOAD",
            line: true,
        }],
        urc_prefixes: &["+HTTP", "+HTTPX:"],
    };

    #[test]
    fn classifies_results_prompts_and_urcs() {
        assert_eq!(
            DIALECT.classify(b"SEND OK"),
            LineClass::Result(FinalResult {
                kind: ResultKind::Ok,
                text: "SEND OK",
                code: None,
                meaning: None
            })
        );
        let LineClass::Result(cme) = DIALECT.classify(b"+CME ERROR: 3") else {
            panic!("not a result")
        };
        assert_eq!(
            (cme.kind, cme.code.as_deref(), cme.meaning),
            (ResultKind::Error, Some("3"), Some("operation not allowed"))
        );
        assert_eq!(
            DIALECT.classify(b"DOWNLOAD"),
            LineClass::Prompt(Prompt {
                text: "DOWNLOAD",
                line: true
            })
        );
        assert_eq!(DIALECT.classify(b"+HTTPX: 1"), LineClass::Urc("+HTTPX:"));
        assert_eq!(DIALECT.classify(b"OKAY"), LineClass::Text);
    }
}
