//! Unit tests of the framer: one example per rule (the split-independence
//! properties are in the workspace `tests/framer_props_*.rs`).

use super::*;
use crate::command::Placement;
use crate::parse::LineParser;

/// Expecting the usual `> ` prompt.
const PROMPT: Expect<'static> = Expect {
    prompts: &["> "],
    same_line: None,
};

fn frames(framer: &mut Framer, expect: Expect<'_>) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(frame) = framer.next_frame(expect) {
        out.push(match frame {
            Frame::Line(l) => format!("L:{}", String::from_utf8_lossy(l)),
            Frame::Prompt(p) => format!("P:{p}"),
            Frame::Header(h) => format!("H:{}", String::from_utf8_lossy(h)),
            Frame::Data(d) => format!("D:{}", String::from_utf8_lossy(d)),
            Frame::DataEnd => "E".to_owned(),
            Frame::Overflow { discarded } => format!("O:{discarded}"),
        });
    }
    out
}

#[test]
fn lines_split_anywhere() {
    let mut f = Framer::new(64);
    f.push(b"\r\nO");
    assert!(frames(&mut f, Expect::default()).is_empty());
    f.push(b"K\r\n\r\n+X: 1\r");
    assert_eq!(frames(&mut f, Expect::default()), ["L:OK", "L:+X: 1"]);
}

#[test]
fn counted_data_is_never_a_line() {
    let mut f = Framer::new(64);
    f.push(b"+R: 6\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["L:+R: 6"]);
    f.expect_data(6);
    f.push(b"\r\nOK");
    f.push(b"\r\n\r\nOK\r\n");
    assert_eq!(
        frames(&mut f, Expect::default()),
        ["D:\r\nOK\r\n", "E", "L:OK"]
    );
}

#[test]
fn a_split_crlf_before_data_is_not_data() {
    let mut f = Framer::new(64);
    f.push(b"+R: 2\r");
    assert_eq!(frames(&mut f, Expect::default()), ["L:+R: 2"]);
    f.expect_data(2);
    f.push(b"\n\nx\r\nOK\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["D:\nx", "E", "L:OK"]);
}

#[test]
fn a_prompt_without_its_space_is_still_a_prompt() {
    let mut f = Framer::new(64);
    f.push(b"\r\n>");
    assert_eq!(frames(&mut f, PROMPT), ["P:> "]);
    f.push(b" \r\nSEND OK\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["L:SEND OK"]);
}

#[test]
fn prompts_only_when_expected() {
    let mut f = Framer::new(64);
    f.push(b"\r\n> ");
    assert!(
        frames(&mut f, Expect::default()).is_empty(),
        "a bare `> ` is no line yet"
    );
    assert_eq!(frames(&mut f, PROMPT), ["P:> "]);
}

#[test]
fn overlong_lines_are_dropped_and_framing_resumes() {
    let mut f = Framer::new(16);
    f.push(&[b'x'; 40]);
    assert!(
        frames(&mut f, Expect::default()).is_empty(),
        "reported once, at the line's end"
    );
    f.push(b"xxxx");
    assert!(frames(&mut f, Expect::default()).is_empty());
    f.push(b"\r\nOK\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["O:45", "L:OK"]);
    assert!(f.buffered() == 0);
}

#[test]
fn data_until_terminator_holds_back_a_partial_terminator() {
    let mut f = Framer::new(64);
    f.expect_data_until(b"\r\nOK\r\n");
    f.push(b"abc\r\nO");
    assert_eq!(frames(&mut f, Expect::default()), ["D:abc"]);
    f.push(b"K\r\n+Q: 0,3\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["E", "L:+Q: 0,3"]);
}

#[test]
fn a_confirmed_terminator_inside_the_data_is_data() {
    let mut f = Framer::new(64);
    f.expect_data_until_confirmed(b"\r\nOK\r\n", b"+Q:");
    f.push(b"ab\r\nOK\r\n");
    assert_eq!(
        frames(&mut f, Expect::default()),
        ["D:ab"],
        "undecided until the next line starts"
    );
    f.push(b"cd\r\nOK\r\n\r\n+Q");
    assert_eq!(frames(&mut f, Expect::default()), ["D:\r\nOK\r\n", "D:cd"]);
    f.push(b": 0,4\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["E", "L:+Q: 0,4"]);
}

fn same_line_len(line: &[u8]) -> Result<(usize, usize), crate::ParseError> {
    let mut p = LineParser::new(line);
    p.literal("+C:")?;
    let len = p.uint::<usize>("len")?;
    Ok((len, p.offset()))
}

#[test]
fn same_line_payloads() {
    let rule = PayloadRule {
        prefix: "+C:",
        placement: Placement::SameLine,
        length: same_line_len,
    };
    let expect = Expect {
        prompts: &[],
        same_line: Some(&rule),
    };
    let mut f = Framer::new(64);
    f.push(b"+C:1");
    assert!(frames(&mut f, expect).is_empty(), "the length may continue");
    f.push(b"0,0123\r\nOK\r");
    assert_eq!(frames(&mut f, expect), ["H:+C:10", "D:0123\r\nOK\r"]);
    f.push(b"\n+C:2,ab\r\nOK\r\n");
    assert_eq!(
        frames(&mut f, expect),
        ["D:\n", "E", "H:+C:2", "D:ab", "E", "L:OK"]
    );
}

#[test]
fn spaces_before_a_prompt_belong_to_it_even_beyond_the_cap() {
    let expect = PROMPT;
    let mut f = Framer::new(16);
    f.push(b"\r\n");
    for _ in 0..40 {
        f.push(b" ");
        assert!(frames(&mut f, expect).is_empty());
        assert!(f.buffered() <= 16);
    }
    f.push(b"> ");
    assert_eq!(frames(&mut f, expect), ["P:> "]);
    f.push(b"  hello\r\n");
    assert_eq!(frames(&mut f, expect), ["L:hello"]);
}

#[test]
fn an_overlong_line_after_many_spaces_counts_them() {
    let mut f = Framer::new(16);
    let mut out = Vec::new();
    for b in b"                    abc\r\nOK\r\n" {
        f.push(&[*b]);
        out.extend(frames(&mut f, Expect::default()));
        assert!(f.buffered() <= 16);
    }
    assert_eq!(out, ["O:24", "L:OK"]);
}

#[test]
fn the_lf_after_an_overlong_line_is_not_data() {
    let mut f = Framer::new(16);
    f.push(&[b'x'; 40]);
    f.push(b"\r");
    assert_eq!(frames(&mut f, Expect::default()), ["O:41"]);
    f.expect_data(2);
    f.push(b"\nab");
    assert_eq!(frames(&mut f, Expect::default()), ["D:ab", "E"]);
}

#[test]
fn spaces_after_a_prompt_are_data_once_data_is_expected() {
    let expect = PROMPT;
    for cut in 1..5 {
        let mut f = Framer::new(64);
        f.push(&b">  ab"[..cut]);
        assert_eq!(f.next_frame(expect), Some(Frame::Prompt("> ")));
        // The caller switches to data right after the prompt.
        f.expect_data(4);
        f.push(&b">  ab"[cut..]);
        assert_eq!(frames(&mut f, expect).concat(), "D:  abE", "cut at {cut}");
    }
}

#[test]
fn a_terminator_waiting_for_its_confirmation_holds_at_most_a_line() {
    let mut f = Framer::new(16);
    f.expect_data_until_confirmed(b"\r\nOK\r\n", b"+Q:");
    f.push(b"ab\r\nOK\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["D:ab"]);
    // 13 line ends and the 3-byte confirmation fit in 16 bytes...
    f.push(&[b'\n'; 13]);
    assert_eq!(frames(&mut f, Expect::default()), Vec::<String>::new());
    assert_eq!(f.buffered(), 6 + 13);
    // ...a 14th does not: the terminator is data.
    f.push(b"\n");
    let out = frames(&mut f, Expect::default()).concat();
    assert_eq!(out, format!("D:\r\nOK\r\nD:{}", "\n".repeat(14)));
    assert_eq!(f.buffered(), 0);
}

#[test]
fn a_confirmation_longer_than_a_line_never_confirms() {
    let mut f = Framer::new(16);
    f.expect_data_until_confirmed(b"\r\nOK\r\n", b"+QUITE_A_LONG_URC:");
    f.push(b"ab\r\nOK\r\n\r\n+QUITE_A_LONG_URC: 0\r\n");
    let out = frames(&mut f, Expect::default());
    assert!(!out.iter().any(|frame| frame == "E"), "{out:?}");
}

#[test]
fn an_empty_terminator_ends_the_data_at_once() {
    let mut f = Framer::new(16);
    f.expect_data_until(b"");
    f.push(b"OK\r\n");
    assert_eq!(frames(&mut f, Expect::default()), ["E", "L:OK"]);
}
