//! The named values of a line: a command line's parameters, paired with the names
//! its syntax gives them, and the fields of an answer the spec decoded.

use atspec::DecodedLine;

use super::model::Field;

/// The parameters of `line` (a command line as shown, secrets masked) named after
/// `syntax` (`AT+X=<a>[,<b>]`). Fixed values of the syntax (`"URL"`) take their
/// position and name nothing; values past a repeated last parameter
/// (`[,<header>]...`) take its name.
pub fn command_fields(syntax: &str, line: &str) -> Vec<Field> {
    let (Some((_, params)), Some((_, values))) = (syntax.split_once('='), line.split_once('='))
    else {
        return Vec::new();
    };
    let params = split_values(&params.replace(['[', ']'], ""));
    let repeated = params
        .last()
        .filter(|p| p.contains(".."))
        .and_then(|p| param_name(p));
    let names = params
        .iter()
        .map(|p| param_name(p))
        .chain(std::iter::repeat(repeated).take_while(|r| r.is_some()));
    names
        .zip(split_values(values))
        .filter_map(|(name, value)| {
            Some(Field {
                name: name?.to_owned(),
                value: unquote(&value).to_owned(),
                coded: false,
                meaning: None,
            })
        })
        .collect()
}

/// The name of a syntax element `<name>` (or `<name>...`); `None` for a fixed value.
fn param_name(element: &str) -> Option<&str> {
    let start = element.strip_prefix('<')?;
    start.split_once('>').map(|(name, _)| name)
}

/// Values separated by commas outside double quotes, trimmed.
fn split_values(text: &str) -> Vec<String> {
    let (mut values, mut current, mut quoted) = (Vec::new(), String::new(), false);
    for c in text.chars() {
        match c {
            ',' if !quoted => values.push(std::mem::take(&mut current)),
            _ => {
                quoted ^= c == '"';
                current.push(c);
            }
        }
    }
    values.push(current);
    values.iter().map(|v| v.trim().to_owned()).collect()
}

fn unquote(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
}

/// `fields` read from a command line, with each coded parameter's meaning taken
/// from the command's own decoding; the values stay as the line shows them, so a
/// masked secret stays masked.
pub fn with_meanings(mut fields: Vec<Field>, parameters: &DecodedLine) -> Vec<Field> {
    for field in &mut fields {
        if let Some(parameter) = parameters.field(&field.name).filter(|p| p.coded) {
            field.coded = true;
            field.meaning = parameter.meaning.map(str::to_owned);
        }
    }
    fields
}

/// The fields of a decoded answer or URC.
pub fn decoded_fields(decoded: &DecodedLine) -> Vec<Field> {
    decoded
        .fields
        .iter()
        .map(|f| Field {
            name: f.name.to_owned(),
            value: f.value.clone(),
            coded: f.coded,
            meaning: f.meaning.map(str::to_owned),
        })
        .collect()
}

/// The meaning of the codes among `fields`: the one code's meaning, or for
/// several `name: meaning` pairs; `None` when no code on the line is listed.
pub fn codes_meaning(fields: &[Field]) -> Option<String> {
    let known: Vec<&Field> = fields.iter().filter(|f| f.meaning.is_some()).collect();
    match known.as_slice() {
        [] => None,
        [one] => one.meaning.clone(),
        many => Some(
            many.iter()
                .map(|f| format!("{}: {}", f.name, f.meaning.as_deref().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    }
}

/// `fields` as the human output lists them: `name=value (meaning)`.
pub fn describe(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| match (&f.meaning, f.coded) {
            (Some(meaning), _) => format!("{}={} ({meaning})", f.name, f.value),
            (None, true) => format!("{}={} (not listed in the manual)", f.name, f.value),
            (None, false) => format!("{}={}", f.name, f.value),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(fields: &[Field]) -> Vec<(&str, &str)> {
        fields
            .iter()
            .map(|f| (f.name.as_str(), f.value.as_str()))
            .collect()
    }

    #[test]
    fn parameters_take_their_names_from_the_syntax() {
        let fields = command_fields("AT+X=<apn>[,<user>[,<password>]]", r#"AT+X="net","me""#);
        assert_eq!(pairs(&fields), [("apn", "net"), ("user", "me")]);
        let fields = command_fields(r#"AT+P="URL",<url>"#, r#"AT+P="URL","a,b""#);
        assert_eq!(pairs(&fields), [("url", "a,b")]);
        assert!(command_fields("AT+Q", "AT+Q").is_empty());
        let syntax = "AT+H=<url>,<n>[,<header>..<header>]";
        let fields = command_fields(syntax, r#"AT+H="u",2,"a: 1","b: 2""#);
        assert_eq!(
            pairs(&fields),
            [
                ("url", "u"),
                ("n", "2"),
                ("header", "a: 1"),
                ("header", "b: 2")
            ]
        );
    }

    #[test]
    fn one_code_gives_its_meaning_and_several_are_named() {
        let field = |name: &str, meaning: Option<&str>| Field {
            name: name.into(),
            value: "1".into(),
            coded: true,
            meaning: meaning.map(Into::into),
        };
        assert_eq!(
            codes_meaning(&[field("a", Some("GET"))]).as_deref(),
            Some("GET")
        );
        let both = [
            field("a", Some("GET")),
            field("b", None),
            field("c", Some("x")),
        ];
        assert_eq!(codes_meaning(&both).as_deref(), Some("a: GET; c: x"));
        assert_eq!(
            describe(&both[..2]),
            "a=1 (GET), b=1 (not listed in the manual)"
        );
    }
}
