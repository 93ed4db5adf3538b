//! Every page of the sample dossier through the Nu HTML checker (the
//! validator behind validator.w3.org/nu), run locally from the `vnu-jar`
//! npm package that `scripts/test` installs. A missing checker or Java
//! fails the test rather than skipping it.

mod common;

use common::TestSite;
use common::browser::test_tool;

#[test]
fn every_page_of_the_sample_is_valid_html() {
    let site = TestSite::sample();
    site.build_ok();
    let vnu = test_tool("vnu-jar", "build/dist/vnu.jar");
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&vnu)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(site.root().join("output"))
        .output()
        .unwrap_or_else(|e| {
            panic!("the Nu checker needs Java ({e}): run `scripts/test`, or apt-get install default-jre-headless")
        });
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && report.trim().is_empty(), "{report}");
}
