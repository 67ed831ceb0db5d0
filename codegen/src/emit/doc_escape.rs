//! Spec prose to Markdown that rustdoc renders as written and accepts under
//! `-D warnings`.
//!
//! Outside code spans: `<tag>`-like text is HTML-escaped (`invalid_html_tags`), a
//! bare URL becomes an autolink (`bare_urls`), brackets that are not a link are
//! escaped (`broken_intra_doc_links`), and a line never starts a code block or fence
//! (which rustdoc would compile as a doctest). Code spans follow CommonMark: a run
//! of backticks closes at the next run of the same length; a run that never closes
//! is literal text and is escaped. Two forms are kept as links because the generator
//! writes them: `[text](http…)` and an intra-doc link to one item, ``[`name`]``.

/// The escaped form of one paragraph (lines separated by `\n`).
pub fn escape_paragraph(paragraph: &str) -> String {
    let text: String = paragraph
        .lines()
        .map(|line| line.trim())
        .map(escape_fence)
        .collect::<Vec<_>>()
        .join("\n");
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && i + 1 < chars.len() && chars[i + 1] == '`' {
            // An escaped backtick (from a fence) stays literal.
            out.push_str("\\`");
            i += 2;
        } else if c == '`' {
            let run = run_length(&chars, i);
            match closing_run(&chars, i + run, run) {
                Some(end) => {
                    out.extend(&chars[i..end + run]);
                    i = end + run;
                }
                None => {
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
            }
        } else if c == '[' {
            match kept_link(&chars, i) {
                Some((close, end)) if chars[close + 1] == '(' => {
                    // A link's text is prose too; its target is kept as written.
                    let inner: String = chars[i + 1..close].iter().collect();
                    out.push('[');
                    out.push_str(&escape_paragraph(&inner));
                    out.extend(&chars[close..end]);
                    i = end;
                }
                Some((_, end)) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            }
        } else if c == ']' {
            out.push_str("\\]");
            i += 1;
        } else if c == '<' {
            match autolink(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
        } else if c == '>' {
            out.push_str("&gt;");
            i += 1;
        } else if let Some(end) = bare_url(&chars, i) {
            out.push('<');
            out.extend(&chars[i..end]);
            out.push('>');
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Where the first backtick run that never closes starts (as a char index), if any:
/// text whose code spans cannot be told apart.
pub fn unclosed_backtick(text: &str) -> Option<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = run_length(&chars, i);
            match closing_run(&chars, i + run, run) {
                Some(end) => i = end + run,
                None => return Some(i),
            }
        } else {
            i += 1;
        }
    }
    None
}

/// Why `url` cannot be the target of a Markdown link, if it cannot.
pub fn unlinkable_url(url: &str) -> Option<&'static str> {
    if url.chars().any(char::is_whitespace) {
        return Some("contains white space");
    }
    if url.contains(['<', '>', '`']) {
        return Some("contains `<`, `>` or a backtick");
    }
    let open = url.matches('(').count();
    if open != url.matches(')').count() {
        return Some("has unbalanced parentheses");
    }
    None
}

/// A line that Markdown would read as the start of a fenced code block gets its
/// fence characters escaped.
fn escape_fence(line: &str) -> String {
    if line.starts_with("```") || line.starts_with("~~~") {
        let fence = line.chars().take_while(|c| *c == '`' || *c == '~').count();
        let (marks, rest) = line.split_at(fence);
        let escaped: String = marks.chars().map(|c| format!("\\{c}")).collect();
        format!("{escaped}{rest}")
    } else {
        line.to_owned()
    }
}

fn run_length(chars: &[char], at: usize) -> usize {
    chars[at..].iter().take_while(|c| **c == '`').count()
}

/// The start of the next backtick run of exactly `len` from `from`.
fn closing_run(chars: &[char], from: usize, len: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = run_length(chars, i);
            if run == len {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

/// The closing `]` and the end of a link the generator writes starting at `[`:
/// `[text](http…)` with no brackets in the text, or ``[`name`]`` naming one item.
fn kept_link(chars: &[char], at: usize) -> Option<(usize, usize)> {
    let close = at + chars[at..].iter().position(|c| *c == ']')?;
    let inner = &chars[at + 1..close];
    if inner.contains(&'[') {
        return None;
    }
    let after: String = chars[close + 1..].iter().take(9).collect();
    if after.starts_with("(http://") || after.starts_with("(https://") {
        let end = close + 1 + chars[close + 1..].iter().position(|c| *c == ')')?;
        let target: String = chars[close + 2..end].iter().collect();
        return unlinkable_url(&target)
            .is_none()
            .then_some((close, end + 1));
    }
    let is_item = inner.len() > 2
        && inner[0] == '`'
        && inner[inner.len() - 1] == '`'
        && inner[1..inner.len() - 1]
            .iter()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | ':'));
    is_item.then_some((close, close + 1))
}

/// The end of an autolink `<http…>` starting at `<`.
fn autolink(chars: &[char], at: usize) -> Option<usize> {
    let end = at
        + chars[at..]
            .iter()
            .position(|c| *c == '>' || c.is_whitespace())?;
    let inner: String = chars[at + 1..end].iter().collect();
    let is_url = inner.starts_with("http://") || inner.starts_with("https://");
    (chars[end] == '>' && is_url).then_some(end + 1)
}

/// The end of a bare URL starting at `at`; trailing punctuation stays outside it.
fn bare_url(chars: &[char], at: usize) -> Option<usize> {
    let head: String = chars[at..].iter().take(8).collect();
    if !(head.starts_with("http://") || head.starts_with("https://")) {
        return None;
    }
    if at > 0 && (chars[at - 1].is_alphanumeric() || chars[at - 1] == '/') {
        return None;
    }
    let mut end = at
        + chars[at..]
            .iter()
            .position(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | '[' | ']'))
            .unwrap_or(chars.len() - at);
    loop {
        match chars[end - 1] {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' => end -= 1,
            ')' if chars[at..end].iter().filter(|c| **c == '(').count()
                < chars[at..end].iter().filter(|c| **c == ')').count() =>
            {
                end -= 1
            }
            _ => break,
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_outside_code_are_escaped_and_code_is_kept() {
        assert_eq!(
            escape_paragraph("Send <n> as `AT+X=<n>`."),
            "Send &lt;n&gt; as `AT+X=<n>`."
        );
    }

    #[test]
    fn brackets_that_are_no_link_are_escaped() {
        assert_eq!(
            escape_paragraph("The group [DATA,] is optional; see [`ftp`]."),
            "The group \\[DATA,\\] is optional; see [`ftp`]."
        );
        assert_eq!(
            escape_paragraph("[Manual V1](https://example.com/m.pdf), section 2"),
            "[Manual V1](https://example.com/m.pdf), section 2"
        );
        assert_eq!(escape_paragraph("[a b](x)"), "\\[a b\\](x)");
        assert_eq!(
            escape_paragraph("[TS 27.007 (<AcT>)](https://a.b/c)"),
            "[TS 27.007 (&lt;AcT&gt;)](https://a.b/c)"
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            escape_paragraph("See http://host/path:80. Or (https://a.b/c)."),
            "See <http://host/path:80>. Or (<https://a.b/c>)."
        );
        assert_eq!(
            escape_paragraph("Already <https://a.b/c> linked."),
            "Already <https://a.b/c> linked."
        );
        assert_eq!(escape_paragraph("`http://in.code`"), "`http://in.code`");
    }

    #[test]
    fn unclosed_backticks_are_literal_and_found() {
        assert_eq!(escape_paragraph("a ` b <c>"), "a \\` b &lt;c&gt;");
        assert_eq!(unclosed_backtick("a ` b"), Some(2));
        assert_eq!(unclosed_backtick("``a`b`` and `c`"), None);
        // A code span may go on over a line break.
        assert_eq!(escape_paragraph("`a\nb` <x>"), "`a\nb` &lt;x&gt;");
    }

    #[test]
    fn no_line_starts_a_code_block_or_fence() {
        assert_eq!(
            escape_paragraph("text\n    indented code\n```rust"),
            "text\nindented code\n\\`\\`\\`rust"
        );
    }

    #[test]
    fn unlinkable_urls_say_why() {
        assert_eq!(unlinkable_url("https://a.b/c"), None);
        assert!(unlinkable_url("https://a.b/c d").is_some());
        assert!(unlinkable_url("https://a.b/(c").is_some());
    }
}
