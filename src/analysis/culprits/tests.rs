//! Culprits over real recordings of `samples/gen/Culprits.java` (four named leaks, and the
//! steady control), on JDK 11, 17, 21 and 25.

use super::*;

fn load(dir: &str) -> Timeline {
    let path = format!("{}/samples/drill/{dir}", env!("CARGO_MANIFEST_DIR"));
    assert!(std::path::Path::new(&path).is_dir(), "{path} missing");
    crate::input::load(&[path])
}

fn found(dir: &str) -> Vec<Culprit> {
    let t = load(dir);
    let options = DiagnoseOptions::default();
    let d = crate::analysis::diagnose(&t, &options);
    culprits(&t, Some(&d), &options)
}

#[test]
fn debug_print() {
    for dir in ["leak-jdk11", "steady-jdk11", "leak-jdk17", "steady-jdk17"] {
        let p = format!("{}/samples/drill/{dir}", env!("CARGO_MANIFEST_DIR"));
        if !std::path::Path::new(&p).is_dir() {
            continue;
        }
        let t = load(dir);
        let d = crate::analysis::diagnose(&t, &DiagnoseOptions::default());
        eprintln!("== {dir}: {} drills, {}", t.drills.len(), d.headline());
        for c in found(dir) {
            eprintln!(
                "  [{}] {} (explains {:?})",
                c.category,
                c.headline(),
                c.explains_suspect
            );
        }
    }
}
