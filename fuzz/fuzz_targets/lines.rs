//! Every response-line and URC parser of every package, through the generated
//! `__fuzz::check_line`: each value a parser accepts must encode to a line that
//! parses back to an equal value. The input is cut at CR and LF into lines, as
//! the framer would deliver them. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// A generated `__fuzz::check_line`.
type CheckLine = fn(&[u8]) -> Result<usize, String>;

const CHECKS: [(&str, CheckLine); 8] = [
    ("common", atspec_common::__fuzz::check_line),
    ("sim800", atspec_sim800::__fuzz::check_line),
    ("a76xx", atspec_a76xx::__fuzz::check_line),
    ("ec200u", atspec_ec200u::__fuzz::check_line),
    ("esp_at", atspec_esp_at::__fuzz::check_line),
    (
        "fixture_templates",
        atspec_fixture_templates::__fuzz::check_line,
    ),
    (
        "fixture_families",
        atspec_fixture_families::__fuzz::check_line,
    ),
    ("fixture_tasks", atspec_fixture_tasks::__fuzz::check_line),
];

fuzz_target!(|data: &[u8]| {
    for line in data
        .split(|b| matches!(b, b'\r' | b'\n'))
        .filter(|l| !l.is_empty())
        .take(32)
    {
        for (package, check) in CHECKS {
            if let Err(mismatch) = check(line) {
                panic!("{package}: {mismatch}");
            }
        }
        // The packages' URC dispatchers run the same parsers in prefix order.
        let _ = atspec_common::Urc::parse(line);
        let _ = atspec_sim800::Urc::parse(line);
        let _ = atspec_a76xx::Urc::parse(line);
        let _ = atspec_ec200u::Urc::parse(line);
        let _ = atspec_esp_at::Urc::parse(line);
        let _ = atspec_fixture_templates::Urc::parse(line);
        let _ = atspec_fixture_families::Urc::parse(line);
        let _ = atspec_fixture_tasks::Urc::parse(line);
    }
});
