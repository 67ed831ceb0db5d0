//! The one place that turns spec names into Rust identifiers.

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Whether `name` is a valid spec name: `[a-z][a-z0-9_]*`.
pub fn is_snake(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether `name` is a valid PascalCase type name.
pub fn is_pascal(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// `http_action` -> `HttpAction`; a leading digit gets a `N` prefix.
pub fn pascal(snake: &str) -> String {
    let mut out = String::new();
    for part in snake.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

/// `HttpactionWrite` -> `httpaction_write`: a type name as a function name part.
pub fn snake_of(pascal: &str) -> String {
    let mut out = String::new();
    for (i, c) in pascal.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A field name usable as a Rust identifier (`type` -> `type_`).
pub fn field(snake: &str) -> String {
    if KEYWORDS.contains(&snake) {
        format!("{snake}_")
    } else {
        snake.to_owned()
    }
}

/// Default type base name of a command: `+HTTPPARA` -> `Httppara`, `&F` -> `AmpF`.
pub fn command_ident(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        match ch {
            '&' => out.push_str("Amp"),
            c if c.is_ascii_alphanumeric() => {
                if out.is_empty() || out.ends_with("Amp") {
                    out.push(c.to_ascii_uppercase());
                } else {
                    out.push(c.to_ascii_lowercase());
                }
            }
            _ => {}
        }
    }
    if out.is_empty() { "At".to_owned() } else { out }
}

/// Struct name of a URC: `http_action` -> `HttpActionUrc`, so it never reads as a
/// command (`Httpaction...`) or a response line.
pub fn urc_ident(name: &str) -> String {
    format!("{}Urc", pascal(name))
}

/// The `Urc` enum variant holding a URC struct: its name without the `Urc` suffix
/// (`Urc::HttpAction(HttpActionUrc)`).
pub fn urc_variant(ident: &str) -> &str {
    ident.strip_suffix("Urc").unwrap_or(ident)
}

/// The suffix of `name` that generated type names reserve for commands, responses
/// and URCs (`_write`, `_response`, `_urc`, ...), if it has one.
pub fn reserved_type_suffix(name: &str) -> Option<&'static str> {
    ["test", "read", "write", "exec", "response", "urc"]
        .into_iter()
        .find(|word| {
            name.strip_suffix(word)
                .is_some_and(|rest| rest.ends_with('_'))
        })
}

/// Crate name of a package: `sim800` -> `atspec-sim800`.
pub fn crate_name(package: &str) -> String {
    format!("atspec-{}", package.replace('_', "-"))
}

/// Rust path name of a package's crate: `sim800` -> `atspec_sim800`.
pub fn crate_ident(package: &str) -> String {
    format!("atspec_{package}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("http_action"), "HttpAction");
        assert_eq!(pascal("3gpp"), "N3gpp");
        assert_eq!(field("type"), "type_");
        assert_eq!(command_ident("+HTTPPARA"), "Httppara");
        assert_eq!(command_ident("&F"), "AmpF");
        assert_eq!(urc_ident("http_action"), "HttpActionUrc");
        assert_eq!(urc_variant("HttpActionUrc"), "HttpAction");
        assert_eq!(reserved_type_suffix("cpin_read"), Some("read"));
        assert_eq!(snake_of("HttpactionWrite"), "httpaction_write");
        assert_eq!(reserved_type_suffix("ready"), None);
        assert_eq!(reserved_type_suffix("spread"), None);
        assert_eq!(command_ident(""), "At");
        assert!(is_snake("data_len") && !is_snake("DataLen") && !is_snake("_x"));
    }
}
