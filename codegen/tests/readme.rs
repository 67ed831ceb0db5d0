//! Every YAML example in `specs/README.md` is a complete spec document that the
//! loader accepts, so the format guide cannot drift from the model.

use std::path::Path;

use atspec_codegen::load::parse_yaml;
use atspec_codegen::model::{IndexSpec, ModuleSpec, PackageSpec, TasksSpec};
use atspec_codegen::template::Template;

fn yaml_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (number, line) in markdown.lines().enumerate() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => current = Some((number + 2, String::new())),
            (Some(_), "```") => blocks.extend(current.take()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

fn templates_parse(texts: impl IntoIterator<Item = String>, at: usize) {
    for text in texts {
        if let Err(e) = Template::parse(&text) {
            panic!("README block at line {at}: template `{text}`: {e}");
        }
    }
}

#[test]
fn readme_yaml_blocks_are_valid_specs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/README.md");
    let markdown = std::fs::read_to_string(path).expect("specs/README.md exists");
    let blocks = yaml_blocks(&markdown);
    assert!(
        blocks.len() >= 10,
        "the format guide shows its constructs in YAML ({} blocks found)",
        blocks.len()
    );
    for (line, block) in blocks {
        let is_package = block.lines().any(|l| l.starts_with("package:"));
        if block.starts_with("# yaml-language-server: $schema=../schema/tasks.schema.json") {
            if let Err((l, c, m)) = parse_yaml::<TasksSpec>(&block) {
                panic!("README block at line {line}: {m} (block line {l}, column {c})");
            }
        } else if block.starts_with("# yaml-language-server: $schema=../schema/index.schema.json") {
            if let Err((l, c, m)) = parse_yaml::<IndexSpec>(&block) {
                panic!("README block at line {line}: {m} (block line {l}, column {c})");
            }
        } else if is_package {
            if let Err((l, c, m)) = parse_yaml::<PackageSpec>(&block) {
                panic!("README block at line {line}: {m} (block line {l}, column {c})");
            }
        } else {
            match parse_yaml::<ModuleSpec>(&block) {
                Ok(module) => {
                    let syntaxes = module.commands.iter().flat_map(|c| {
                        [&c.test, &c.read, &c.write, &c.exec]
                            .into_iter()
                            .flatten()
                            .flat_map(|f| {
                                f.syntax
                                    .iter()
                                    .map(|s| s.value.clone())
                                    .chain(f.variants.iter().map(|v| v.syntax.value.clone()))
                            })
                    });
                    templates_parse(syntaxes.collect::<Vec<_>>(), line);
                    templates_parse(module.urcs.iter().map(|u| u.template.value.clone()), line);
                    let responses = module.commands.iter().flat_map(|c| {
                        [&c.test, &c.read, &c.write, &c.exec]
                            .into_iter()
                            .flatten()
                            .flat_map(|f| &f.response)
                            .map(|l| l.template.value.clone())
                    });
                    templates_parse(responses.collect::<Vec<_>>(), line);
                }
                Err((l, c, m)) => {
                    panic!("README block at line {line}: {m} (block line {l}, column {c})")
                }
            }
        }
    }
}
