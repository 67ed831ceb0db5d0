//! Module families in the generator: a fixture package with two families whose
//! limits, commands, codes and response shapes differ. What the generated code
//! does is tested against the converted `a76xx` spec in `tests/module_families.rs`;
//! this checks what the generator makes of the fixture.

use std::path::Path;

use atspec_codegen::generate_from;
use atspec_codegen::load::read_spec_tree;

fn generated(path: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/families");
    let files = read_spec_tree(&dir).expect("fixture readable");
    let outputs = generate_from(&files).unwrap_or_else(|e| panic!("{e}"));
    outputs
        .into_iter()
        .find(|(p, _)| p == path)
        .unwrap_or_else(|| panic!("{path} is generated"))
        .1
}

/// The text of `impl <ty> { ... }` up to the next item.
fn impl_block(text: &str, ty: &str) -> String {
    let start = text
        .find(&format!("impl {ty} {{"))
        .unwrap_or_else(|| panic!("impl {ty}"));
    let rest = &text[start..];
    let end = rest[1..].find("\n#[").map_or(rest.len(), |e| e + 1);
    rest[..end].to_owned()
}

fn compact(text: &str) -> String {
    text.split_whitespace().collect()
}

#[test]
fn the_model_enum_has_one_documented_variant_per_family() {
    let lib = generated("crates/atspec-demo/src/lib.rs");
    assert!(
        lib.contains("/// Small series (`small`; Demo manual, section 1).\n    Small,"),
        "{lib}"
    );
    assert!(lib.contains("/// Big series (`big`).\n    Big,"), "{lib}");
    assert!(compact(&lib).contains("constALL:&'static[Self]=&[Self::Small,Self::Big];"));
}

#[test]
fn new_keeps_the_common_limits_and_new_for_applies_the_familys() {
    let module = generated("crates/atspec-demo/src/demo.rs");
    let demo = compact(&impl_block(&module, "Demo"));
    let (new, new_for) = demo.split_once("pubfnnew_for(").expect("a new_for");
    assert!(new.contains("check_range(\"n\",n,0,10)"), "{new}");
    assert!(
        new_for.contains("crate::Model::Big=>{::atspec::param::check_range(\"n\",n,0,300)?;}_=>{::atspec::param::check_range(\"n\",n,0,10)?;}"),
        "{new_for}"
    );
    // The code only the big series has is refused for the small one.
    assert!(
        new_for.contains("crate::Model::Small=>{if!(mode.is_known()&&[\"0\",\"1\"]"),
        "{new_for}"
    );
    // The widest family range sizes the type.
    assert!(new_for.contains("n:u16"), "{new_for}");
}

#[test]
fn a_command_one_family_lacks_is_refused_for_the_others() {
    let module = generated("crates/atspec-demo/src/demo.rs");
    let big = compact(&impl_block(&module, "Big"));
    assert!(
        big.contains("if!matches!(model,crate::Model::Big){returnErr(::atspec::ParamError::Unavailable{command:\"AT+BIG\",family:::atspec::Family::id(model),});}"),
        "{big}"
    );
}

#[test]
fn an_example_of_a_family_runs_for_it_and_picks_that_familys_shape() {
    let test = compact(&generated("crates/atspec-demo/tests/examples_demo.rs"));
    assert!(test.contains("formodelin<::atspec_demo::Modelas::atspec::Family>::ALL.iter().copied().filter(|model|matches!(model,::atspec_demo::Model::Big)){letcommand=::atspec_demo::demo::Demo::new_for(model,atspec_demo::demo::Mode::from_code(2),200,)"), "{test}");
    // `AT+READ=3` is the tagged sub-command on the big series (same command line).
    assert!(
        test.contains("::atspec_demo::demo::ReadTagged::new_for(model,3)"),
        "{test}"
    );
    assert!(
        test.contains("::atspec_demo::demo::TaggedValue::parse("),
        "{test}"
    );
}
