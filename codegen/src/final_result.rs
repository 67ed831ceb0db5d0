//! Forms answered without a final result code (`no_final_result: true`).
//!
//! Such an exchange can only end when the lines received so far are a complete
//! response, so the response must have a fixed, known end: at least one line,
//! every line mandatory, no payload. Anything that itself waits for a final
//! result code (a completion URC, an upload, a data-mode download) cannot work.

use crate::ir::Line;
use crate::model::RepeatSpec;

/// What a form also declares, as far as `no_final_result` cares.
pub struct FormShape<'a> {
    /// The resolved response lines.
    pub response: &'a [Line],
    /// Whether the form has a completion URC.
    pub completion: bool,
    /// Whether the form uploads after a prompt.
    pub upload: bool,
    /// Whether the form downloads in data mode.
    pub download: bool,
}

/// Why `no_final_result: true` cannot stand on this form: one message per problem,
/// empty when it can.
pub fn conflicts(form: &FormShape<'_>) -> Vec<String> {
    let mut out = Vec::new();
    let waits = [
        (
            form.completion,
            "a `completion` URC, which is awaited after the final result code",
        ),
        (
            form.upload,
            "an `upload`, whose data phase ends with a final result code",
        ),
        (
            form.download,
            "a `download`, whose data mode ends with a final result code",
        ),
    ];
    for (present, what) in waits {
        if present {
            out.push(format!("`no_final_result` cannot go with {what}"));
        }
    }
    if form.response.is_empty() {
        out.push(
            "`no_final_result` needs a response line: without a final result code the exchange ends when the lines received parse as the response"
                .to_owned(),
        );
    }
    for line in form.response {
        let name = &line.spec.name.value;
        if line.spec.payload.is_some() {
            out.push(format!(
                "`no_final_result` cannot go with a payload (response line `{name}`)"
            ));
        }
        if line.spec.repeat.is_some_and(|r| r != RepeatSpec::One) {
            out.push(format!(
                "`no_final_result` needs every response line mandatory (`repeat: one`), so that the end of the answer is known; `{name}` is not"
            ));
        }
    }
    out
}
