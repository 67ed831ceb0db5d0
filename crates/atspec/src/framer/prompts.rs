//! Recognising bare prompts at a line start.

/// Which expected prompt the bytes at a line start are.
pub(super) enum PromptMatch {
    /// This prompt, whose text is this many bytes.
    Prompt(&'static str, usize),
    /// The bytes so far start a prompt longer than any complete match.
    Wait,
    /// No prompt.
    No,
}

/// The longest of `prompts` (compared without trailing spaces) that `pending`
/// starts with, unless a longer one may still arrive. Prompts longer than
/// `max_line` are left out: waiting for them could exceed the buffer bound.
#[inline]
pub(super) fn match_prompt(
    pending: &[u8],
    prompts: &[&'static str],
    max_line: usize,
) -> PromptMatch {
    if prompts.is_empty() {
        return PromptMatch::No;
    }
    longest_prompt(pending, prompts, max_line)
}

#[inline(never)]
fn longest_prompt(pending: &[u8], prompts: &[&'static str], max_line: usize) -> PromptMatch {
    let mut best: Option<(&'static str, usize)> = None;
    let mut longer = false;
    for &prompt in prompts {
        let text = prompt.trim_end_matches(' ').as_bytes();
        if text.is_empty() || text.len() > max_line {
            continue;
        }
        if pending.starts_with(text) {
            if best.is_none_or(|(_, len)| text.len() > len) {
                best = Some((prompt, text.len()));
            }
        } else if text.starts_with(pending) {
            // Longer than `pending`, so longer than any complete match.
            longer = true;
        }
    }
    match best {
        _ if longer => PromptMatch::Wait,
        Some((prompt, len)) => PromptMatch::Prompt(prompt, len),
        None => PromptMatch::No,
    }
}
