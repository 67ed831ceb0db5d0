//! Golden tests of `atspec decode` on captured-style sessions written from the
//! manuals' examples. Each case in `tests/decode/` is a capture `NAME.txt` (text)
//! or `NAME.bin` (raw bytes), optional options in `NAME.args` (`--modem X`,
//! `--show-secrets`, one a line), and the expected output: `NAME.out` (human) and
//! `NAME.jsonl` (`--json`). `ATSPEC_BLESS=1 cargo test -p atspec-cli --test decode`
//! rewrites the expected files from what the decoder prints (the tests of the
//! binary, which read them, are skipped meanwhile); read every rewritten file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use atspec_cli::decode::{Options, render};

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/decode")
}

/// Every capture in the cases directory.
fn captures() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/decode exists")
        .map(|e| e.expect("a readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "bin"))
        .collect();
    found.sort();
    found
}

fn options(capture: &Path) -> Options {
    let args = std::fs::read_to_string(capture.with_extension("args")).unwrap_or_default();
    let mut options = Options::default();
    let mut words = args.split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "--modem" => options.modem = words.next().map(str::to_owned),
            "--show-secrets" => options.show_secrets = true,
            other => panic!("{}: unknown option {other}", capture.display()),
        }
    }
    options
}

/// Compares `actual` with the expected file, or rewrites it when blessing.
fn check(expected: &Path, actual: &str, failures: &mut Vec<String>) {
    if blessing() {
        std::fs::write(expected, actual).expect("the expected file is writable");
        return;
    }
    let wanted = std::fs::read_to_string(expected).unwrap_or_default();
    if wanted != actual {
        failures.push(format!(
            "{} differs; got:\n{actual}\n(ATSPEC_BLESS=1 rewrites it)",
            expected.display()
        ));
    }
}

#[test]
fn every_capture_is_explained_as_its_golden_files_say() {
    let captures = captures();
    assert!(captures.len() >= 10, "at least ten sessions: {captures:?}");
    let mut failures = Vec::new();
    for capture in &captures {
        let input = std::fs::read(capture).expect("the capture is readable");
        let mut options = options(capture);
        let human = render(&input, &options, atspec_packages::PACKAGES)
            .unwrap_or_else(|e| panic!("{}: {e}", capture.display()));
        check(&capture.with_extension("out"), &human.stdout, &mut failures);
        options.json = true;
        let json = render(&input, &options, atspec_packages::PACKAGES)
            .unwrap_or_else(|e| panic!("{}: {e}", capture.display()));
        check(
            &capture.with_extension("jsonl"),
            &json.stdout,
            &mut failures,
        );
        for line in json.stdout.lines() {
            let object: serde_json::Value =
                serde_json::from_str(line).expect("one JSON object a line");
            for key in [
                "line", "dir", "text", "kind", "command", "fields", "meaning",
            ] {
                assert!(
                    object.get(key).is_some(),
                    "{}: no `{key}` in {line}",
                    capture.display()
                );
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn secrets_never_appear_unless_asked_for() {
    for capture in captures() {
        let mut options = options(&capture);
        if options.show_secrets {
            continue;
        }
        let input = std::fs::read(&capture).expect("the capture is readable");
        for json in [false, true] {
            options.json = json;
            let shown = render(&input, &options, atspec_packages::PACKAGES)
                .expect("decoded")
                .stdout;
            // Each capture's passwords, quoted as they are on their command lines.
            for secret in ["1234567890", "tmf123", "3214567", "s3cret-pw"] {
                let quoted = [format!("\"{secret}\""), format!("\\\"{secret}\\\"")];
                for quoted in quoted {
                    assert!(
                        !shown.contains(&quoted),
                        "{} shows {quoted}",
                        capture.display()
                    );
                }
            }
        }
    }
}

fn blessing() -> bool {
    std::env::var_os("ATSPEC_BLESS").is_some()
}

fn atspec(args: &[&str], stdin: Option<&[u8]>) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_atspec"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(bytes) = stdin {
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(bytes)
            .expect("stdin takes the capture");
    }
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("the binary ends");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

#[test]
fn the_binary_prints_the_golden_output_and_exits_by_the_anomalies() {
    if blessing() {
        return;
    }
    let dir = cases_dir();
    let clean = dir.join("sim800_http_get.txt");
    let (stdout, _, code) = atspec(&["decode", clean.to_str().expect("a UTF-8 path")], None);
    let wanted = std::fs::read_to_string(clean.with_extension("out")).expect("golden output");
    assert_eq!(stdout, wanted);
    assert_eq!(code, Some(0), "no anomaly: exit 0");

    let failing = dir.join("anomalies.txt");
    let (_, _, code) = atspec(&["decode", failing.to_str().expect("a UTF-8 path")], None);
    assert_eq!(code, Some(1), "anomalies: exit 1");

    let (stdout, stderr, code) = atspec(&["decode", "--modem", "nope", "-"], Some(b"AT\r\nOK\r\n"));
    assert_eq!((stdout.as_str(), code), ("", Some(2)));
    assert!(
        stderr.contains("no package is named `nope`; there are: a76xx, ec200u, esp_at, sim800"),
        "{stderr}"
    );
}

#[test]
fn the_binary_reads_stdin_and_puts_the_header_on_stderr_with_json() {
    if blessing() {
        return;
    }
    let capture = cases_dir().join("esp_at_post_raw.bin");
    let input = std::fs::read(&capture).expect("the capture is readable");
    let (stdout, stderr, code) = atspec(&["decode", "--json", "-"], Some(&input));
    let wanted = std::fs::read_to_string(capture.with_extension("jsonl")).expect("golden output");
    assert_eq!(stdout, wanted);
    assert!(
        stderr.contains("atspec decode: package: esp_at"),
        "{stderr}"
    );
    assert!(code.is_some());
}

/// A deterministic xorshift generator: the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[test]
fn shuffled_cut_and_garbled_captures_are_explained_without_panicking() {
    // Lines of every capture, with their line ends, as building blocks.
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    for capture in captures() {
        let bytes = std::fs::read(&capture).expect("the capture is readable");
        pieces.extend(bytes.split_inclusive(|b| *b == b'\n').map(<[u8]>::to_vec));
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..300 {
        let mut input = Vec::new();
        for _ in 0..1 + rng.below(24) {
            let piece = &pieces[rng.below(pieces.len())];
            match rng.below(6) {
                0 => input.extend_from_slice(&piece[..rng.below(piece.len() + 1)]),
                1 => input.push(rng.below(256) as u8),
                _ => input.extend_from_slice(piece),
            }
        }
        let options = Options {
            json: true,
            ..Options::default()
        };
        let rendered = render(&input, &options, atspec_packages::PACKAGES).expect("decoded");
        let most = 1 + input
            .iter()
            .filter(|b| **b == b'\n' || **b == b'\r')
            .count();
        for line in rendered.stdout.lines() {
            let object: serde_json::Value =
                serde_json::from_str(line).expect("one JSON object a line");
            let at = object["line"].as_u64().expect("a line number") as usize;
            assert!(
                (1..=most).contains(&at),
                "line {at} of at most {most}: {input:?}"
            );
        }
    }
}
