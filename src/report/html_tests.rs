//! Tests of the HTML report on real recordings.
use super::*;
use crate::analysis::{DiagnoseOptions, diagnose};

fn demo() -> (Timeline, Diagnosis) {
    let path = format!("{}/samples/sessions/demo.jvmem", env!("CARGO_MANIFEST_DIR"));
    let mut t = crate::input::load(&[path]);
    t.sort_gc_events();
    let d = diagnose(
        &t,
        &DiagnoseOptions {
            limit_bytes: Some(1 << 30),
            ..DiagnoseOptions::default()
        },
    );
    (t, d)
}

#[test]
fn demo_page_has_the_verdict_a_chart_per_suspect_and_the_limit() {
    let (t, d) = demo();
    assert!(!d.suspects.is_empty(), "the demo leaks");
    let page = render(&t, &d, &["demo.jvmem".into()]);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Verdict: "));
    for (i, s) in d.suspects.iter().enumerate() {
        assert!(page.contains(&format!("id=\"suspect-{}\"", i + 1)));
        assert!(page.contains(&escape(&s.categories.join(" + "))));
    }
    // total chart + per suspect pair + one per category + GC charts
    let charts = page.matches("<svg ").count();
    let categories = t.category_names().len();
    assert!(
        charts >= 1 + 2 * d.suspects.len() + categories,
        "{charts} charts"
    );
    assert!(page.contains("class=\"limit\""));
    assert!(page.contains("limit 1.0 GiB"));
    assert!(
        !page.contains("http://")
            || page.matches("http://").count()
                == page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count(),
        "no external resources"
    );
    assert!(!page.contains("<script"));
}

#[test]
fn culprits_have_their_table_when_the_input_holds_drill_captures() {
    let path = format!("{}/samples/drill/leak-jdk17", env!("CARGO_MANIFEST_DIR"));
    let t = crate::input::load(&[path]);
    let d = diagnose(&t, &DiagnoseOptions::default());
    let page = render(&t, &d, &["leak-jdk17".into()]);
    assert!(page.contains("id=\"culprits\""));
    assert!(page.contains("PluginClassLoader"), "the loader culprit");
    assert!(page.contains("job-runner-%d"), "the thread culprit");
    let (t, d) = demo();
    assert!(!render(&t, &d, &[]).contains("id=\"culprits\""));
}

#[test]
fn hostile_names_are_escaped() {
    let (mut t, d) = demo();
    t.diagnostics.push(crate::model::Diagnostic::error(
        &std::sync::Arc::from("<img src=x onerror=alert(1)>"),
        3,
        "\x1b]0;owned\x07 <b>bold</b>",
    ));
    let page = render(&t, &d, &["a<b>.log".into()]);
    assert!(!page.contains("<img"));
    assert!(!page.contains("<b>bold"));
    assert!(!page.contains('\x1b'));
    assert!(page.contains("a&lt;b&gt;.log"));
}
