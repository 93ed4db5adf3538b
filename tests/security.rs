//! Attacks on the build (issue #12): files from outside the dossier, hostile
//! theme names, symlinked output, concurrent and failed builds, hostile base
//! URLs and curl globbing. Each test states a promise of the README's
//! "Safety guarantees".

mod common;

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{TestSite, dossier, stderr};
use dossier::check::{CheckOptions, ExternalOptions, check_with};

const ARTICLE: &str = "---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\nPutin spoke.\n";

/// A folder outside the dossier holding a secret in every shape a build
/// could publish: a page-like Markdown file, an asset, a template, a static
/// file.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for rel in [
        "secret.txt",
        "articles/secret.md",
        "static/secret.css",
        "templates/article.html",
    ] {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "TOP-SECRET").unwrap();
    }
    fs::write(
        dir.path().join("articles/secret.md"),
        "---\ntitle: TOP-SECRET\ndate: 2020-01-01\nsource: Wire\n---\nTOP-SECRET\n",
    )
    .unwrap();
    dir
}

/// Every file under `dir` whose bytes contain the secret.
fn leaked(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| fs::read(e.path()).is_ok_and(|b| b.windows(10).any(|w| w == b"TOP-SECRET")))
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn site() -> TestSite {
    TestSite::with_registry(&[("content/articles/one.md", ARTICLE)])
}

#[test]
fn a_symlinked_content_folder_is_refused_not_followed() {
    let secret = outside();
    let site = site();
    fs::rename(site.root().join("content"), site.root().join("real")).unwrap();
    symlink(secret.path(), site.root().join("content")).unwrap();
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("content"), "{}", stderr(&out));
    assert!(leaked(site.root()).is_empty(), "{:?}", leaked(site.root()));
    let check = dossier(site.root(), &["check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
}

#[test]
fn symlinks_below_content_are_skipped_at_every_level() {
    let secret = outside();
    let site = site();
    symlink(
        secret.path().join("articles"),
        site.root().join("content/articles/linked"),
    )
    .unwrap();
    symlink(secret.path(), site.root().join("content/media")).unwrap();
    symlink(
        secret.path().join("secret.txt"),
        site.root().join("content/articles/photo.png"),
    )
    .unwrap();
    let report = site.build_ok();
    assert!(leaked(site.root()).is_empty(), "{:?}", leaked(site.root()));
    assert_eq!(
        report
            .warnings
            .iter()
            .filter(|d| d.code == "symlink")
            .count(),
        3
    );
}

#[test]
fn a_symlinked_site_yaml_is_not_read() {
    let secret = outside();
    let site = site();
    fs::write(secret.path().join("site.yaml"), "title: TOP-SECRET\n").unwrap();
    fs::remove_file(site.root().join("site.yaml")).unwrap();
    symlink(
        secret.path().join("site.yaml"),
        site.root().join("site.yaml"),
    )
    .unwrap();
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("TOP-SECRET"));
    assert!(leaked(site.root()).is_empty());
}

#[test]
fn themes_never_read_outside_the_dossier() {
    let secret = outside();
    // Each case links one level of the theme to the outside folder.
    type Plant = fn(&Path, &Path);
    let cases: [(&str, Plant); 4] = [
        ("static", |root, secret| {
            fs::create_dir_all(root.join("themes/evil")).unwrap();
            symlink(secret.join("static"), root.join("themes/evil/static")).unwrap();
        }),
        ("templates", |root, secret| {
            fs::create_dir_all(root.join("themes/evil")).unwrap();
            symlink(secret.join("templates"), root.join("themes/evil/templates")).unwrap();
        }),
        ("the theme folder", |root, secret| {
            fs::create_dir_all(root.join("themes")).unwrap();
            symlink(secret, root.join("themes/evil")).unwrap();
        }),
        ("themes/", |root, secret| {
            let themes = secret.join("themes-dir");
            fs::create_dir_all(themes.join("evil")).unwrap();
            symlink(secret.join("static"), themes.join("evil/static")).unwrap();
            symlink(&themes, root.join("themes")).unwrap();
        }),
    ];
    for (what, plant) in cases {
        let site = site();
        site.write("site.yaml", "title: T\ntheme: evil\n");
        plant(site.root(), secret.path());
        let out = dossier(site.root(), &["build"]);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("symbolic link"),
            "{what}: {}",
            stderr(&out)
        );
        assert!(leaked(site.root()).is_empty(), "{what}");
    }
}

#[test]
fn a_theme_is_a_plain_name_under_themes() {
    let secret = outside();
    let absolute = secret.path().display().to_string();
    for name in [
        absolute.as_str(),
        "../../x",
        "..",
        ".hidden",
        "a/b",
        "a\\b",
        "",
    ] {
        let site = site();
        fs::create_dir_all(site.root().join("themes")).unwrap();
        site.write("site.yaml", &format!("title: T\ntheme: '{name}'\n"));
        let out = dossier(site.root(), &["build"]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains("site.yaml:2:8"),
            "{name}: located at the value: {err}"
        );
        assert!(err.contains("not a theme name"), "{name}: {err}");
        assert!(leaked(site.root()).is_empty(), "{name}");
    }
}

#[test]
fn a_symlinked_output_folder_is_refused_and_nothing_is_written_beside_its_target() {
    let site = site();
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    fs::create_dir(&target).unwrap();
    symlink(&target, site.root().join("output")).unwrap();
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("symbolic link"), "{}", stderr(&out));
    let beside: Vec<_> = fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside, ["site"], "no staging folder beside the target");
    assert!(fs::read_dir(&target).unwrap().next().is_none());
    let clean = dossier(site.root(), &["clean"]);
    assert_eq!(clean.status.code(), Some(2), "{}", stderr(&clean));
    assert!(target.is_dir());

    // A linked staging folder is refused the same way.
    fs::remove_file(site.root().join("output")).unwrap();
    symlink(&target, site.root().join(".output.staging")).unwrap();
    let out = dossier(site.root(), &["build"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(fs::read_dir(&target).unwrap().next().is_none());
}

/// A `dossier build` of `site` running beside the test, its errors kept.
fn spawn_build(site: &TestSite) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(site.root())
        .args(["-q", "build"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn concurrent_builds_never_leave_a_broken_or_stale_site() {
    let site = TestSite::sample();
    let extra = "content/articles/concurrent.md";
    let write_round = |round: usize| {
        site.write(
            extra,
            &format!(
                "---\ntitle: Round {round}\ndate: 2017-01-01\nsource: TASS\n---\nVersion {round}.\n"
            ),
        );
    };
    write_round(0);
    site.build_ok();
    let reference = site.output_files();
    for round in 1..=10 {
        write_round(round);
        if round % 2 == 1 {
            // A first build: nothing to reuse, every file written.
            for dir in ["output", ".output.staging"] {
                let _ = fs::remove_dir_all(site.root().join(dir));
            }
        }
        let children: Vec<_> = (0..3).map(|_| spawn_build(&site)).collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
        }
        assert_eq!(site.output_files(), reference, "round {round}: every file");
        assert!(
            site.output("articles/concurrent/index.html")
                .contains(&format!("Version {round}.")),
            "round {round}: the newest version is live"
        );
    }
}

#[test]
fn clean_during_a_build_waits_for_it() {
    let site = TestSite::sample();
    for i in 0..200 {
        site.write(
            &format!("content/articles/bulk-{i}.md"),
            &format!(
                "---\ntitle: Bulk {i}\ndate: 2017-01-01\nsource: TASS\n---\n{}\n",
                "Vladimir Putin said things. ".repeat(50)
            ),
        );
    }
    site.build_ok();
    let reference = site.output_files();
    let staging = site.root().join(".output.staging");
    for round in 0..3 {
        let _ = fs::remove_dir_all(&staging);
        let mut build = spawn_build(&site);
        // Clean once the build is writing pages.
        while !staging.exists() && build.try_wait().unwrap().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let clean = dossier(site.root(), &["-q", "clean"]);
        let built = build.wait_with_output().unwrap();
        assert!(clean.status.success(), "{}", stderr(&clean));
        // Whichever ran second decides; nothing is ever half there.
        let files = site.output_files();
        assert!(
            files.is_empty() || files == reference,
            "round {round}: {} of {} files; build said {}",
            files.len(),
            reference.len(),
            stderr(&built)
        );
        site.build_ok();
    }
}

#[test]
fn a_build_started_during_a_clean_waits_for_it_instead_of_refusing_the_output() {
    use rustix::fs::{FlockOperation, flock};
    let site = TestSite::sample();
    site.build_ok();
    let reference = site.output_files();
    // This test plays a `clean` that lost the marker first (as `clean`
    // did before it took the marker last, and as anything removing the
    // folder by hand may): it holds the output's lock, and the marker has
    // gone while the pages are still there.
    let lock = fs::File::options()
        .read(true)
        .write(true)
        .open(site.root().join(".output.lock"))
        .unwrap();
    flock(&lock, FlockOperation::LockExclusive).unwrap();
    fs::remove_file(site.root().join("output/.dossier-output")).unwrap();
    // Not quiet: the build says when it starts to wait for the lock, and
    // the clean goes on only then.
    let mut build = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .env_remove("DOSSIER_LOG")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its lines, read on a thread: a build that never says it waits must
    // fail this test, not hang it with the lock held.
    let said = build.stderr.take().unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(said)) {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    while !seen
        .iter()
        .any(|l: &String| l.contains("waiting for it to finish"))
    {
        match lines.recv_timeout(std::time::Duration::from_secs(60)) {
            Ok(line) => seen.push(line),
            Err(e) => {
                let _ = build.kill();
                panic!("the build never said it waits ({e}): {seen:?}");
            }
        }
    }
    for folder in ["output", ".output.staging", ".output.cache"] {
        let _ = fs::remove_dir_all(site.root().join(folder));
    }
    drop(lock);
    let built = build.wait().unwrap();
    seen.extend(lines.try_iter());
    assert!(
        built.success(),
        "a build started during a clean refused the output: {seen:?}"
    );
    assert_eq!(site.output_files(), reference);

    // A folder that is not ours is still refused, with the lock held.
    site.write("output/notes.txt", "mine");
    fs::remove_file(site.root().join("output/.dossier-output")).unwrap();
    let refused = dossier(site.root(), &["build"]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("not made by dossier"),
        "{}",
        stderr(&refused)
    );
    assert_eq!(
        fs::read_to_string(site.root().join("output/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_failed_first_build_is_followed_by_working_builds_and_cleans() {
    let site = site();
    // A template that compiles but fails while pages are written: the
    // staging folder exists by then.
    site.write("site.yaml", "title: T\ntheme: broken\n");
    site.write("themes/broken/templates/article.html", "{{ nope.missing }}");
    let out = dossier(site.root(), &["build"]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(site.root().join(".output.staging").exists());
    let clean = dossier(site.root(), &["clean"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(!site.root().join(".output.staging").exists());

    // Fail again, then fix the theme: the leftover is reused.
    let out = dossier(site.root(), &["build"]);
    assert!(!out.status.success());
    fs::remove_dir_all(site.root().join("themes")).unwrap();
    site.write("site.yaml", "title: T\n");
    let out = dossier(site.root(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.has_output("articles/one/index.html"));
    let clean = dossier(site.root(), &["clean"]);
    assert!(clean.status.success(), "{}", stderr(&clean));
    assert!(!site.root().join("output").exists());
}

#[test]
fn a_killed_first_build_is_followed_by_working_builds() {
    // Kill builds at different moments of a long first build; whatever
    // they leave behind, the next build and clean work.
    let site = TestSite::sample();
    for i in 0..40 {
        site.write(
            &format!("content/articles/bulk-{i}.md"),
            &format!(
                "---\ntitle: Bulk {i}\ndate: 2017-01-01\nsource: TASS\n---\n{}\n",
                "Vladimir Putin said things. ".repeat(200)
            ),
        );
    }
    let mut killed_mid_build = 0;
    for round in 0..4 {
        for dir in ["output", ".output.staging"] {
            let _ = fs::remove_dir_all(site.root().join(dir));
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .arg("--root")
            .arg(site.root())
            .args(["-q", "build"])
            .spawn()
            .unwrap();
        // Kill it once it has started writing pages into staging.
        let started = site.root().join(".output.staging/articles");
        for _ in 0..20_000 {
            if started.exists() || child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        let _ = child.kill();
        let _ = child.wait();
        killed_mid_build += usize::from(!site.root().join("output").exists());
        let out = dossier(site.root(), &["build"]);
        assert!(out.status.success(), "round {round}: {}", stderr(&out));
        assert!(site.has_output("articles/bulk-0/index.html"));
        let clean = dossier(site.root(), &["clean"]);
        assert!(clean.status.success(), "{}", stderr(&clean));
        assert!(!site.root().join(".output.staging").exists());
    }
    assert!(killed_mid_build > 0, "no build was killed before its swap");
}

#[test]
fn base_urls_that_point_at_another_host_are_refused() {
    for url in [
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "https:///evil",
        "https://a.example\\@evil.example/",
    ] {
        let site = site();
        site.write("site.yaml", &format!("title: T\nbase_url: '{url}'\n"));
        let out = dossier(site.root(), &["build"]);
        assert_eq!(out.status.code(), Some(1), "{url}: {}", stderr(&out));
        assert!(stderr(&out).contains("site.yaml:2:1"), "{url}");
        site.write("site.yaml", "title: T\n");
        let out = dossier(site.root(), &["build", "--base-url", url]);
        assert_eq!(out.status.code(), Some(2), "--base-url {url}");
        assert!(!site.root().join("output").exists());
    }
    let site = site();
    for good in ["/", "/dossier/", "https://example.org/d/"] {
        let out = dossier(site.root(), &["build", "--base-url", good]);
        assert!(out.status.success(), "{good}: {}", stderr(&out));
    }
}

/// A tiny HTTP server on 127.0.0.1 that answers 200 to everything and
/// counts requests.
fn count_requests() -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = stream.read(&mut buffer);
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
    });
    (address, count)
}

#[test]
fn external_checks_never_expand_urls_into_more_requests() {
    let (server, count) = count_requests();
    let body =
        format!("See [glob]({server}/{{a,b,c}}/[1-300]) and [range]({server}/x[01-99].html).\n");
    let site = TestSite::with_registry(&[(
        "content/articles/one.md",
        &format!("---\ntitle: One\ndate: 2020-01-02\nsource: Wire\n---\n{body}"),
    )]);
    let options = CheckOptions {
        include_drafts: false,
        external: Some(ExternalOptions::default()),
    };
    let findings = check_with(site.root(), &options).unwrap();
    let requests = count.load(Ordering::SeqCst);
    assert!(
        (1..=2 * 2).contains(&requests),
        "two distinct URLs, at most a HEAD and a GET each: {requests} requests; {:?}",
        findings.sorted()
    );
}
