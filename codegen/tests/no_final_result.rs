//! `no_final_result: true`: the generated command says it is answered without a
//! final result code, and the loader refuses the key where such an answer could
//! never be told complete.

use atspec_codegen::load::SpecFile;
use atspec_codegen::{GenerateError, generate_from};

const PACKAGE: &str = r#"# yaml-language-server: $schema=../schema/package.schema.json
package: demo
title: Demo modem
vendor: Nobody
manuals:
  - id: M
    title: Demo manual
dialect:
  results:
    - { template: OK, kind: ok, doc: Success. }
    - { template: ERROR, kind: error, doc: Failure. }
  prompts:
    - { text: "> ", line: false, doc: Ready for data. }
    - { text: CONNECT, line: true, doc: Data mode. }
"#;

/// A module whose `+ADDR` exec form declares `no_final_result: true` (its value at
/// line 13, column 24), with `response` and `extra` lines spliced into the form.
fn module(response: &str, extra: &str) -> String {
    format!(
        r#"# yaml-language-server: $schema=../schema/module.schema.json
module: demo
title: Demo
source: {{ manual: M }}
commands:
  - name: +PLAIN
    summary: Answered with OK.
    exec:
      syntax: AT+PLAIN
  - name: +ADDR
    summary: Answered with one bare line and nothing after it.
    exec:
      no_final_result: true
      syntax: AT+ADDR
{response}{extra}urcs:
  - name: done
    template: "+DONE: <n>"
    doc: Done.
    fields:
      - {{ name: n, doc: Count., type: int, min: 0, max: 10 }}
"#
    )
}

const ONE_LINE: &str = r#"      response:
        - name: address
          template: "<address>"
          doc: The address.
          fields:
            - { name: address, doc: The address., type: text }
"#;

fn generate(module: &str) -> Result<Vec<(String, String)>, GenerateError> {
    let files = vec![
        SpecFile {
            path: "specs/demo/package.yaml".to_owned(),
            text: PACKAGE.to_owned(),
        },
        SpecFile {
            path: "specs/demo/demo.yaml".to_owned(),
            text: module.to_owned(),
        },
    ];
    generate_from(&files)
}

/// The diagnostics for `module`, as `(line, column, message)`.
fn problems(module: &str) -> Vec<(u64, u64, String)> {
    match generate(module) {
        Err(GenerateError::Specs(d)) => {
            d.0.into_iter()
                .map(|d| (d.line, d.column, d.message))
                .collect()
        }
        Err(other) => panic!("unexpected error {other}"),
        Ok(_) => panic!("the spec was accepted"),
    }
}

/// Asserts a diagnostic at the `no_final_result` key whose message holds `text`.
fn refused(module: &str, text: &str) {
    let found = problems(module);
    assert!(
        found
            .iter()
            .any(|(line, column, m)| (*line, *column) == (13, 24) && m.contains(text)),
        "no diagnostic at 13:24 mentioning {text:?}: {found:#?}"
    );
}

/// The generated `impl AtCommand for <ident>` block.
fn impl_block<'a>(code: &'a str, ident: &str) -> &'a str {
    let start = code
        .find(&format!("impl ::atspec::AtCommand for {ident} {{"))
        .unwrap_or_else(|| panic!("no AtCommand impl for {ident}"));
    let rest = &code[start..];
    let end = rest.find("fn encode(").expect("the impl encodes");
    &rest[..end]
}

#[test]
fn the_form_says_it_has_no_final_result_and_others_do_not() {
    let outputs = generate(&module(ONE_LINE, "")).unwrap_or_else(|e| panic!("{e}"));
    let (_, code) = outputs
        .iter()
        .find(|(p, _)| p == "crates/atspec-demo/src/demo.rs")
        .expect("the module is generated");
    let addr = impl_block(code, "AddrExec");
    assert!(
        addr.contains("const NO_FINAL_RESULT: bool = true;"),
        "{addr}"
    );
    assert!(!impl_block(code, "PlainExec").contains("NO_FINAL_RESULT"));
}

#[test]
fn an_answer_without_lines_cannot_end_without_a_final_result() {
    refused(&module("", ""), "needs a response line");
}

#[test]
fn every_response_line_must_be_mandatory() {
    let optional = ONE_LINE.replace(
        "doc: The address.\n",
        "doc: The address.\n          repeat: many\n",
    );
    assert_ne!(optional, ONE_LINE);
    refused(&module(&optional, ""), "`repeat: one`");
}

#[test]
fn a_payload_cannot_follow_an_answer_without_a_final_result() {
    let response = r#"      response:
        - name: chunk
          template: "+CHUNK: <len>"
          doc: Raw bytes follow.
          fields:
            - { name: len, doc: Length., type: int, min: 0, max: 100 }
          payload: { length: len, placement: next_line }
"#;
    refused(&module(response, ""), "payload (response line `chunk`)");
}

#[test]
fn completion_upload_and_download_wait_for_a_final_result() {
    let completion = "      completion: { urc: done, timeout_ms: 1000 }\n";
    refused(&module(ONE_LINE, completion), "`completion`");
    let upload = "      upload: { prompt: \"> \", end: escaped, terminator: 26, escape: 3 }\n";
    refused(&module(ONE_LINE, upload), "`upload`");
    let download = "      download: { prompt: CONNECT, end: final_result }\n";
    refused(&module(ONE_LINE, download), "`download`");
}

#[test]
fn false_is_the_default_behaviour() {
    let module = module(ONE_LINE, "").replace("no_final_result: true", "no_final_result: false");
    let outputs = generate(&module).unwrap_or_else(|e| panic!("{e}"));
    let (_, code) = outputs
        .iter()
        .find(|(p, _)| p == "crates/atspec-demo/src/demo.rs")
        .expect("the module is generated");
    assert!(!impl_block(code, "AddrExec").contains("NO_FINAL_RESULT"));
}
