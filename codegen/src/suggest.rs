//! "Did you mean": the nearest valid name to a misspelt one.

/// The candidate closest to `wrong` by edit distance, if it is close enough to be a
/// plausible misspelling (at most a third of the longer name's characters differ, and
/// at least one character is shared). Ties go to the first candidate.
pub fn nearest<'a, I, S>(wrong: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let wrong_lower = wrong.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let candidate = candidate.as_ref();
        if candidate == wrong {
            continue;
        }
        let distance = edit_distance(&wrong_lower, &candidate.to_lowercase());
        let longest = wrong.chars().count().max(candidate.chars().count());
        let close = distance < longest && distance * 3 <= longest.max(3);
        if close && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, name)| name)
}

/// `"; did you mean `x`?"` for the nearest candidate, or an empty string.
pub fn did_you_mean<'a, I, S>(wrong: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    nearest(wrong, candidates)
        .map(|name| format!("; did you mean `{name}`?"))
        .unwrap_or_default()
}

/// Edit distance counting insertions, deletions, substitutions and swaps of two
/// neighbouring characters (optimal string alignment), by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between the first i chars of `a` and the first j of `b`.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// Adds the nearest name to a serde "unknown field/variant" message, which lists the
/// valid names in backticks after "expected".
pub fn annotate_unknown(message: &str) -> String {
    let Some(rest) = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))
    else {
        return message.to_owned();
    };
    let Some((wrong, tail)) = rest.split_once('`') else {
        return message.to_owned();
    };
    let Some((_, expected)) = tail.split_once("expected") else {
        return message.to_owned();
    };
    let expected = expected.trim_start().trim_start_matches("one of");
    let valid: Vec<&str> = expected
        .split([',', ' '])
        .map(|name| name.trim_matches('`'))
        .filter(|name| !name.is_empty() && *name != "or")
        .collect();
    format!("{message}{}", did_you_mean(wrong, &valid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_single_edits() {
        assert_eq!(edit_distance("maxx", "max"), 1);
        assert_eq!(edit_distance("timout_ms", "timeout_ms"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("cuont", "count"), 1);
    }

    #[test]
    fn the_nearest_plausible_name_is_suggested() {
        let keys = ["name", "doc", "type", "min", "max", "max_len"];
        assert_eq!(nearest("maxx", &keys), Some("max"));
        assert_eq!(nearest("Max_Len", &keys), Some("max_len"));
        assert_eq!(nearest("quoting", &keys), None);
        assert_eq!(nearest("x", &["y"]), None);
    }

    #[test]
    fn serde_messages_get_the_nearest_key() {
        let message = "unknown field `maxx`, expected one of `name`, `doc`, `type`, `min`, `max`";
        assert_eq!(
            annotate_unknown(message),
            format!("{message}; did you mean `max`?")
        );
        let bare = "unknown field `maxx`, expected one of name, doc, max, max_len";
        assert!(annotate_unknown(bare).ends_with("did you mean `max`?"));
        let variant = "unknown variant `errror`, expected `ok` or `error`";
        assert!(annotate_unknown(variant).ends_with("did you mean `error`?"));
        assert_eq!(annotate_unknown("invalid type"), "invalid type");
    }
}
