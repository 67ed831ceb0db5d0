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

/// The text of the item that starts with `header {`, up to the next item.
fn item(text: &str, header: &str) -> String {
    let start = text
        .find(&format!("{header} {{"))
        .unwrap_or_else(|| panic!("{header}"));
    let rest = &text[start..];
    let end = rest[1..].find("\n#[").map_or(rest.len(), |e| e + 1);
    rest[..end].to_owned()
}

/// The text of `impl <ty> { ... }`.
fn impl_block(text: &str, ty: &str) -> String {
    item(text, &format!("impl {ty}"))
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
    let demo = compact(&impl_block(&module, "DemoWrite"));
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
    let big = compact(&impl_block(&module, "BigExec"));
    assert!(
        big.contains("if!matches!(model,crate::Model::Big){returnErr(::atspec::ParamError::Unavailable{command:\"AT+BIG\",family:::atspec::Family::id(model),});}"),
        "{big}"
    );
}

#[test]
fn an_example_of_a_family_runs_for_it_and_picks_that_familys_shape() {
    let test = compact(&generated("crates/atspec-demo/tests/examples_demo.rs"));
    assert!(test.contains("formodelin<::atspec_demo::Modelas::atspec::Family>::ALL.iter().copied().filter(|model|matches!(model,::atspec_demo::Model::Big)){letcommand=::atspec_demo::demo::DemoWrite::new_for(model,atspec_demo::demo::Mode::from_code(2),200,)"), "{test}");
    // `AT+READ=3` is the tagged sub-command on the big series (same command line).
    assert!(
        test.contains("::atspec_demo::demo::ReadTaggedWrite::new_for(model,3)"),
        "{test}"
    );
    assert!(
        test.contains("::atspec_demo::demo::TaggedValue::parse("),
        "{test}"
    );
}

/// The text of `impl <trait> for <ty> { ... }`.
fn trait_impl(text: &str, tr: &str, ty: &str) -> String {
    item(text, &format!("impl {tr} for {ty}"))
}

#[test]
fn a_familys_own_timeouts_are_carried_by_the_values_built_for_it() {
    let module = generated("crates/atspec-demo/src/demo.rs");
    let demo = compact(&impl_block(&module, "DemoWrite"));
    assert!(demo.contains("Ok(Self{mode,n,model:None})"), "{demo}");
    assert!(demo.contains("model:Some(model),"), "{demo}");
    let at = compact(&trait_impl(&module, "::atspec::AtCommand", "DemoWrite"));
    assert!(
        at.contains("constTIMEOUT:Option<::core::time::Duration>=Some(::core::time::Duration::from_millis(10000u64),);"),
        "{at}"
    );
    assert!(
        at.contains("fntimeout(&self)->Option<::core::time::Duration>{matchself.model{Some(crate::Model::Big)=>{Some(::core::time::Duration::from_millis(20000u64))}_=>Self::TIMEOUT,}}"),
        "{at}"
    );
    assert!(module.contains("/// Maximum response time: 10000 ms (20000 ms on `big`)."));
    let fetch = compact(&trait_impl(
        &module,
        "::atspec::DeferredCommand",
        "FetchExec",
    ));
    assert!(
        fetch.contains("fncompletion_timeout(&self)->::core::time::Duration{matchself.model{Some(crate::Model::Small)=>::core::time::Duration::from_millis(30000u64),_=>Self::COMPLETION.timeout,}}"),
        "{fetch}"
    );
    assert!(module.contains("within 60000 ms (30000 ms on `small`) after `OK`"));
    // A command whose timeouts are the same on every family stays as it was.
    let big = impl_block(&module, "BigExec");
    assert!(!big.contains("model: Some"), "{big}");
    assert!(
        !compact(&trait_impl(&module, "::atspec::AtCommand", "BigExec")).contains("fntimeout(")
    );
}

fn diagnostics(case: &str) -> Vec<atspec_codegen::Diagnostic> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let files = read_spec_tree(&dir).expect("fixture readable");
    match generate_from(&files) {
        Err(atspec_codegen::GenerateError::Specs(d)) => d.0,
        Err(other) => panic!("{case}: unexpected error {other}"),
        Ok(_) => panic!("{case}: the broken spec was accepted"),
    }
}

/// The position of the diagnostic whose message is `text`.
fn located(found: &[atspec_codegen::Diagnostic], text: &str) -> (String, u64, u64) {
    let d = found
        .iter()
        .find(|d| d.message == text)
        .unwrap_or_else(|| panic!("no diagnostic {text:?}; got:\n{found:#?}"));
    (d.file.clone(), d.line, d.column)
}

#[test]
fn a_timeout_for_an_undeclared_or_foreign_family_is_reported_at_its_key() {
    let found = diagnostics("family_timeouts");
    let module = "specs/demo/demo.yaml".to_owned();
    assert_eq!(
        located(
            &found,
            "unknown family `bgi`; package.yaml declares `small`, `big`; did you mean `big`?"
        ),
        (module.clone(), 19, 19)
    );
    assert_eq!(
        located(
            &found,
            "family `small` is not among those of the form (big)"
        ),
        (module.clone(), 26, 19)
    );
    assert_eq!(
        located(
            &found,
            "family `big` is not among those of the variant (small)"
        ),
        (module.clone(), 35, 23)
    );
    assert_eq!(
        located(
            &found,
            "unknown family `smal`; package.yaml declares `small`, `big`; did you mean `small`?"
        ),
        (module, 45, 21)
    );
    assert_eq!(found.len(), 4, "{found:#?}");
}
