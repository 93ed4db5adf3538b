//! The build cache beside the output: a second build with nothing changed
//! renders and writes nothing; a build after an edit reuses the rest and
//! equals a clean build; a damaged, stale or foreign cache is noticed and
//! ignored, never trusted. (A cache written by another version of the tool
//! is covered by the cache module's unit tests.)

mod common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use common::TestSite;
use dossier::pipeline::{BuildOptions, BuildReport, CacheUse, build};

fn build_into(site: &TestSite, output: &Path) -> BuildReport {
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        output: Some(output.to_path_buf()),
        ..BuildOptions::default()
    })
    .unwrap_or_else(|e| panic!("build failed: {e}"))
}

/// Every file of an output folder with its bytes (without the marker).
fn files(output: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(output).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .filter(|(rel, _)| rel != dossier::write::MARKER)
        .collect();
    out.sort();
    out
}

/// What a clean build of the same dossier writes (into a fresh folder,
/// whose cache does not exist yet).
fn clean_build(site: &TestSite) -> Vec<(String, Vec<u8>)> {
    let fresh = tempfile::tempdir().unwrap();
    let output = fresh.path().join("site");
    let report = build_into(site, &output);
    assert_eq!(report.cache, CacheUse::Ignored("there is none yet".into()));
    files(&output)
}

fn assert_same(got: &[(String, Vec<u8>)], want: &[(String, Vec<u8>)]) {
    let names = |f: &[(String, Vec<u8>)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(got), names(want), "the file lists differ");
    for ((name, a), (_, b)) in got.iter().zip(want) {
        assert!(a == b, "{name} differs from a clean build");
    }
}

/// Inode and modification time of every output file.
fn identities(output: &Path) -> Vec<(String, u64, i64, i64)> {
    files(output)
        .into_iter()
        .map(|(name, _)| {
            let meta = fs::metadata(output.join(&name)).unwrap();
            (name, meta.ino(), meta.mtime(), meta.mtime_nsec())
        })
        .collect()
}

/// The output shows `text` and is, file for file, what a clean build makes.
fn assert_shows_and_equals_clean(site: &TestSite, text: &str) {
    let got = files(&output(site));
    assert!(
        got.iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains(text)),
        "no output file shows {text:?}"
    );
    assert_same(&got, &clean_build(site));
}

fn append(site: &TestSite, rel: &str, text: &str) {
    let path = site.root().join(rel);
    let mut old = fs::read_to_string(&path).unwrap();
    old.push_str(text);
    fs::write(path, old).unwrap();
}

const ARTICLE: &str = "content/articles/2017-01-25-moscow-pivots-from-combatant-to-peacemaker.md";

fn output(site: &TestSite) -> PathBuf {
    site.root().join("output")
}

#[test]
fn a_second_build_with_nothing_changed_renders_and_writes_nothing() {
    let site = TestSite::sample();
    let first = site.build_ok();
    assert_eq!(first.cache, CacheUse::Ignored("there is none yet".into()));
    let before = identities(&output(&site));

    let second = site.build_ok();
    assert_eq!(second.cache, CacheUse::UpToDate);
    assert_eq!(second.stats.written, 0);
    assert_eq!((second.pages_rendered, second.bodies_rendered), (0, 0));
    assert_eq!(second.pages, first.pages);
    // The same warnings are reported again, not lost.
    let codes = |r: &BuildReport| {
        r.warnings
            .iter()
            .map(|w| w.code.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(codes(&second), codes(&first));
    assert!(
        !first.warnings.is_empty(),
        "the sample warns about its base URL"
    );
    // Not one output file was touched.
    assert_eq!(identities(&output(&site)), before);
}

#[test]
fn a_build_after_an_edit_renders_only_what_changed_and_equals_a_clean_build() {
    let site = TestSite::sample();
    assert!(
        site.root().join(ARTICLE).is_file(),
        "the sample has {ARTICLE}"
    );
    let first = site.build_ok();
    append(
        &site,
        ARTICLE,
        "\nA closing line added after the first build.\n",
    );

    let second = site.build_ok();
    assert_eq!(second.cache, CacheUse::Reused);
    assert_eq!(
        second.bodies_rendered, 1,
        "only the edited body is rendered"
    );
    assert!(
        second.pages_rendered * 2 < first.pages,
        "{} of {} pages rendered after a one-line edit",
        second.pages_rendered,
        first.pages
    );
    assert!(second.stats.written > 0 && second.stats.written < first.stats.written);
    assert_shows_and_equals_clean(&site, "A closing line added");

    // More edits: each build's record of the output it published stays
    // true, so the next one trusts it instead of comparing every page.
    for n in 0..3 {
        append(&site, ARTICLE, &format!("\nAnother closing line, {n}.\n"));
        assert_eq!(site.build_ok().cache, CacheUse::Reused, "edit {n}");
    }
    assert_eq!(site.build_ok().cache, CacheUse::UpToDate);
    assert_shows_and_equals_clean(&site, "Another closing line, 2.");
}

#[test]
fn the_cache_keeps_what_articles_say_not_their_html() {
    let site = TestSite::sample();
    // A line that mentions no actor: it shows only in the article's HTML.
    let line = "Zebra crossings on the ring road were repainted overnight.";
    append(&site, ARTICLE, &format!("\n{line}\n"));
    site.build_ok();
    let cache = site.root().join(".output.cache");
    let stored: Vec<(String, Vec<u8>)> = files(&cache);
    assert!(stored.len() > 2, "the cache has its files: {stored:?}");
    for (name, bytes) in &stored {
        assert!(
            !String::from_utf8_lossy(bytes).contains(line),
            "the build cache's {name} holds an article's HTML"
        );
    }

    // A later build renders again, from the Markdown, the pages it makes.
    append(&site, ARTICLE, "\nA second closing line.\n");
    let second = site.build_ok();
    assert_eq!(second.cache, CacheUse::Reused);
    assert_shows_and_equals_clean(&site, line);
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_still_seen() {
    let site = TestSite::sample();
    site.build_ok();
    let path = site.root().join(ARTICLE);
    let text = fs::read_to_string(&path).unwrap();
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    // Same length, different words, and the old time put back (as
    // `cp -p`, `rsync -t` or an unpacked archive do).
    let edited = text.replacen("Astana", "Astanb", 1);
    assert_ne!(edited, text);
    fs::write(&path, &edited).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();

    let report = site.build_ok();
    assert_ne!(report.cache, CacheUse::UpToDate);
    assert_shows_and_equals_clean(&site, "Astanb");
}

#[test]
fn a_damaged_cache_is_ignored_and_the_build_is_still_right() {
    let site = TestSite::sample();
    site.build_ok();
    let cache = site.root().join(".output.cache");
    // The part of the rendered bodies that holds the most.
    let bodies = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_name().to_string_lossy().starts_with("bodies-"))
        .max_by_key(|e| e.metadata().unwrap().len())
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    for (file, damage) in [
        ("state", Damage::Flip),
        ("state", Damage::Cut),
        (bodies.as_str(), Damage::Flip),
        (bodies.as_str(), Damage::Empty),
        ("manifest", Damage::Flip),
        ("manifest", Damage::Cut),
        ("manifest", Damage::Empty),
    ] {
        let path = cache.join(file);
        let mut bytes = fs::read(&path).unwrap();
        match damage {
            Damage::Flip => {
                let middle = bytes.len() / 2;
                bytes[middle] ^= 0x55;
            }
            Damage::Cut => bytes.truncate(bytes.len() * 2 / 3),
            Damage::Empty => bytes.clear(),
        }
        fs::write(&path, bytes).unwrap();
        append(
            &site,
            ARTICLE,
            &format!("\nA line after damaging {file}.\n"),
        );

        let report = site.build_ok();
        match &report.cache {
            CacheUse::Ignored(why) => assert!(
                why.contains("damaged"),
                "{file} ({damage:?}) ignored for the wrong reason: {why}"
            ),
            used => panic!("a damaged {file} ({damage:?}) was used: {used:?}"),
        }
        assert_same(&files(&output(&site)), &clean_build(&site));
    }
    // The build after each of those wrote a good cache again.
    append(&site, ARTICLE, "\nOne more line.\n");
    assert_eq!(site.build_ok().cache, CacheUse::Reused);
}

#[derive(Debug, Clone, Copy)]
enum Damage {
    Flip,
    Cut,
    Empty,
}

#[test]
fn an_output_changed_by_hand_is_noticed_and_rebuilt() {
    let site = TestSite::sample();
    site.build_ok();
    let out = output(&site);
    // A page deleted, one edited, one replaced by a file of the same size.
    fs::remove_file(out.join("timeline/index.html")).unwrap();
    fs::write(out.join("index.html"), "defaced").unwrap();
    let about = out.join("sources/index.html");
    let size = fs::metadata(&about).unwrap().len() as usize;
    fs::remove_file(&about).unwrap();
    fs::write(&about, vec![b'x'; size]).unwrap();

    let report = site.build_ok();
    assert_eq!(report.cache, CacheUse::BodiesOnly);
    assert_eq!(report.bodies_rendered, 0, "the Markdown is still reused");
    assert_same(&files(&out), &clean_build(&site));
    // And the repaired output is trusted again.
    assert_eq!(site.build_ok().cache, CacheUse::UpToDate);
}

#[test]
fn an_output_page_made_unreadable_is_noticed() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = TestSite::sample();
    site.build_ok();
    let page = output(&site).join("timeline/index.html");
    fs::set_permissions(&page, fs::Permissions::from_mode(0o000)).unwrap();
    // Not up to date: the build compares every page (and rewrites one it
    // cannot read back, as any user but root).
    let report = site.build_ok();
    assert_eq!(report.cache, CacheUse::BodiesOnly);
}

#[test]
fn a_cache_made_for_another_dossier_is_not_used() {
    let first = TestSite::sample();
    let second = TestSite::sample();
    append(&second, ARTICLE, "\nOnly the second dossier says this.\n");
    let shared = tempfile::tempdir().unwrap();
    let output = shared.path().join("site");
    build_into(&first, &output);

    let report = build_into(&second, &output);
    match &report.cache {
        CacheUse::Ignored(why) => assert!(why.contains("made for the dossier at"), "{why}"),
        used => panic!("another dossier's cache was used: {used:?}"),
    }
    assert_same(&files(&output), &clean_build(&second));
}

#[test]
fn other_options_do_not_use_the_cache_of_a_build_without_them() {
    let site = TestSite::sample();
    site.build_ok();
    let report = build(&BuildOptions {
        root: site.root().to_path_buf(),
        base_url: Some("https://example.org/briefs/".into()),
        ..BuildOptions::default()
    })
    .unwrap();
    assert!(matches!(report.cache, CacheUse::Ignored(ref why) if why.contains("options")));
    assert!(site.output("index.html").contains("/briefs/"));
}

#[test]
fn no_cache_neither_reads_nor_writes_it() {
    let site = TestSite::sample();
    let build_without = || {
        build(&BuildOptions {
            root: site.root().to_path_buf(),
            no_cache: true,
            ..BuildOptions::default()
        })
        .unwrap()
    };
    let first = build_without();
    assert_eq!(first.cache, CacheUse::Ignored("--no-cache".into()));
    assert!(!site.root().join(".output.cache").exists());
    site.build_ok();
    append(&site, ARTICLE, "\nA line the cache has not seen.\n");
    let report = build_without();
    assert_eq!(report.cache, CacheUse::Ignored("--no-cache".into()));
    assert!(report.bodies_rendered > 1, "every body is rendered again");
    assert_same(&files(&output(&site)), &clean_build(&site));
    // The cache it left alone no longer matches the output: the next build
    // notices, reuses the Markdown and compares every page.
    append(&site, ARTICLE, "\nAnd one more.\n");
    assert_eq!(site.build_ok().cache, CacheUse::BodiesOnly);
    assert_same(&files(&output(&site)), &clean_build(&site));
}

/// Folders under `output` with nothing in them.
fn empty_folders(output: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .filter(|e| fs::read_dir(e.path()).unwrap().next().is_none())
        .map(|e| e.path().to_path_buf())
        .collect()
}

const BROKEN: &str = "content/articles/zz-broken.md";

/// A build that fails once its output is being prepared: while it reads
/// and models, it makes the staging folder a mirror of the live site
/// (folders and hard links).
fn fail_a_build(site: &TestSite) {
    site.write(BROKEN, "---\ntitle: [unclosed\n---\nText.\n");
    assert!(!site.build_err().is_empty());
    fs::remove_file(site.root().join(BROKEN)).unwrap();
}

#[test]
fn a_build_that_fails_leaves_the_live_site_trusted() {
    let site = TestSite::sample();
    site.build_ok();
    fail_a_build(&site);
    // The mirror was made: the staged pages are the live files.
    let inode = |dir: &str| {
        fs::metadata(site.root().join(dir).join("index.html"))
            .unwrap()
            .ino()
    };
    assert_eq!(inode(".output.staging"), inode("output"));
    // The next build still trusts the live site (nothing it recorded was
    // touched) and publishes what a clean build does; so does the one
    // after it.
    append(&site, ARTICLE, "\nA line after the failed build.\n");
    assert_eq!(site.build_ok().cache, CacheUse::Reused);
    assert_shows_and_equals_clean(&site, "A line after the failed build.");
    assert_eq!(site.build_ok().cache, CacheUse::UpToDate);
}

#[test]
fn a_staging_folder_left_unmarked_by_a_killed_build_is_still_ours() {
    let site = TestSite::sample();
    site.build_ok();
    // A build killed between making the staging folder and marking it,
    // then one that fails once it has filled the folder.
    fs::create_dir(site.root().join(".output.staging")).unwrap();
    fail_a_build(&site);
    assert!(site.root().join(".output.staging/index.html").is_file());
    append(&site, ARTICLE, "\nA line after the killed build.\n");
    assert_eq!(site.build_ok().cache, CacheUse::Reused);
    assert_shows_and_equals_clean(&site, "A line after the killed build.");
    let clean = common::dossier(site.root(), &["clean"]);
    assert!(clean.status.success(), "{}", common::stderr(&clean));
    assert!(!site.root().join(".output.staging").exists());
}

#[test]
fn a_failed_build_right_after_one_from_nothing_costs_the_next_no_writes() {
    let site = TestSite::sample();
    let first = site.build_ok();
    // The failed build made the staging folder a mirror of the site while
    // it read the dossier; the next build finds every page there.
    fail_a_build(&site);
    let report = build(&BuildOptions {
        root: site.root().to_path_buf(),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap();
    assert_eq!(report.stats.written, 0, "every page was written again");
    assert_eq!(report.stats.unchanged, first.stats.written);
}

#[test]
fn what_a_failed_build_staged_is_not_published() {
    let site = TestSite::sample();
    site.build_ok();
    // A new article; after this build the staging folder is the site
    // before it, without the new article's page.
    let text = fs::read_to_string(site.root().join(ARTICLE)).unwrap();
    let added = "content/articles/zz-added.md";
    site.write(added, &text.replacen("title:", "title: Added,", 1));
    site.build_ok();
    let page = site.root().join("output/articles/zz-added");
    let staged = site.root().join(".output.staging/articles/zz-added");
    assert!(page.is_dir());
    assert!(!staged.exists());
    // A failed build links that page into the staging folder.
    fail_a_build(&site);
    assert!(staged.join("index.html").is_file());
    // The article goes, and the next build does not use the cache: the
    // page goes, and its folder with it.
    fs::remove_file(site.root().join(added)).unwrap();
    build(&BuildOptions {
        root: site.root().to_path_buf(),
        no_cache: true,
        ..BuildOptions::default()
    })
    .unwrap();
    assert_eq!(empty_folders(&output(&site)), Vec::<PathBuf>::new());
    assert_same(&files(&output(&site)), &clean_build(&site));
}

#[test]
fn clean_removes_the_cache_with_the_output() {
    let site = TestSite::sample();
    site.build_ok();
    let cache = site.root().join(".output.cache");
    assert!(cache.join("manifest").is_file() && cache.join("state").is_file());
    let out = common::dossier(site.root(), &["clean"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    assert!(!cache.exists(), "clean left the build cache");
    assert!(!output(&site).exists());
    // The next build starts from nothing and is complete.
    let report = site.build_ok();
    assert_eq!(report.cache, CacheUse::Ignored("there is none yet".into()));
    assert_same(&files(&output(&site)), &clean_build(&site));
}

#[test]
fn the_command_line_says_when_a_build_had_nothing_to_do() {
    let site = TestSite::sample();
    let first = common::dossier(site.root(), &["build"]);
    assert!(first.status.success(), "{}", common::stderr(&first));
    let second = common::dossier(site.root(), &["build"]);
    assert!(second.status.success());
    let text = common::stderr(&second);
    assert!(text.contains("Up to date"), "{text}");
    assert!(
        text.contains("`base_url` is `/`"),
        "the warning is shown again: {text}"
    );
}

/// The part files of the cached Markdown texts.
fn body_parts(site: &TestSite) -> Vec<String> {
    let mut parts: Vec<String> = fs::read_dir(site.root().join(".output.cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("bodies-"))
        .collect();
    parts.sort();
    parts
}

#[test]
fn the_cached_texts_take_one_part_per_128_and_a_shrinking_dossier_drops_the_rest() {
    let site = TestSite::sample();
    site.build_ok();
    // The sample's 68 Markdown texts (articles, actors, publications).
    assert_eq!(body_parts(&site), ["bodies-00"]);

    let added: Vec<String> = (0..100)
        .map(|i| format!("content/articles/2019-03-{:02}-note-{i:03}.md", 1 + i % 28))
        .collect();
    for (i, rel) in added.iter().enumerate() {
        site.write(
            rel,
            &format!(
                "---\ntitle: \"Note {i}\"\ndate: 2019-03-{:02}\nsource: The Moscow Times\nactors:\n  - Russia\n---\n\nRussia said something on day {i}.\n",
                1 + i % 28
            ),
        );
    }
    let grown = site.build_ok();
    assert_ne!(grown.cache, CacheUse::UpToDate);
    assert_eq!(body_parts(&site), ["bodies-00", "bodies-01"]);
    assert_shows_and_equals_clean(&site, "Russia said something on day 99.");

    for rel in &added {
        fs::remove_file(site.root().join(rel)).unwrap();
    }
    append(&site, ARTICLE, "\nAfter the notes went.\n");
    site.build_ok();
    assert_eq!(
        body_parts(&site),
        ["bodies-00"],
        "the second part is named by nothing"
    );
    assert_shows_and_equals_clean(&site, "After the notes went.");
}

#[test]
fn front_matter_read_back_from_the_cache_is_not_parsed_again_and_warns_where_it_is_written() {
    let site = TestSite::sample();
    let source = "content/sources/moscow-times.md";
    assert!(
        site.root().join(source).is_file(),
        "the sample has {source}"
    );
    // An event dated after its article: a warning located at the event's
    // date, in a file the second build does not parse.
    site.write(
        "content/articles/late-event.md",
        "---\ntitle: A late event\ndate: 2017-01-02\nsource: The Moscow Times\n\
         events:\n  - date: 2018-05-01\n    title: Later\n---\n\nBody.\n",
    );
    let located = |r: &BuildReport| {
        r.warnings
            .iter()
            .filter(|w| w.code.as_str() == "event-after-article")
            .map(|w| w.position())
            .collect::<Vec<_>>()
    };
    let first = site.build_ok();
    assert_eq!(
        located(&first),
        vec!["content/articles/late-event.md:6:11".to_string()]
    );
    let files = first.files_parsed;
    assert!(files > 5, "the first build parses every file ({files})");

    append(&site, ARTICLE, "\nOne more line about the talks.\n");
    let second = site.build_ok();
    assert_eq!(second.cache, CacheUse::Reused);
    assert_eq!(second.files_parsed, 1, "only the edited file is parsed");
    assert_eq!(located(&second), located(&first));
    assert_shows_and_equals_clean(&site, "One more line about the talks.");
}

#[test]
fn a_build_after_an_edit_reads_only_the_files_it_needs_and_equals_a_clean_build() {
    let site = TestSite::sample();
    // A briefing page that lists the articles without their texts, as a
    // large dossier's does (a small one prints every text, read or not).
    append(&site, "site.yaml", "\nbriefing:\n  page_full_text: 2\n");
    let trusting = || {
        build(&BuildOptions {
            root: site.root().to_path_buf(),
            // The files were all written a moment ago: trust size and
            // times however recent (a real build waits two seconds).
            racy_window: Some(std::time::Duration::ZERO),
            ..BuildOptions::default()
        })
        .unwrap_or_else(|e| panic!("build failed: {e}"))
    };
    let first = trusting();
    assert!(first.files_read > 5, "a first build reads every file");
    let warnings = |r: &BuildReport| {
        r.warnings
            .iter()
            .map(|w| w.render(false))
            .collect::<Vec<_>>()
    };

    append(&site, ARTICLE, "\nA line only the edited file holds.\n");
    let second = trusting();
    assert_eq!(second.cache, CacheUse::Reused);
    // The edited file, and the texts of the articles whose pages show it
    // (their related lists): no actor or publication file.
    let articles = fs::read_dir(site.root().join("content/articles"))
        .unwrap()
        .count();
    assert!(
        (1..=articles).contains(&second.files_read),
        "read {} of {} files",
        second.files_read,
        first.files_read
    );
    assert_eq!(warnings(&second), warnings(&first));
    assert_shows_and_equals_clean(&site, "A line only the edited file holds.");
}
