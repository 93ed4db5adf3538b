//! Rebuild benchmark: how long `Engine::rebuild` takes, from the call to
//! the changed files written, for each kind of edit to one article.
//!
//!     cargo run --release --example rebuild_bench -- DOSSIER_DIR [ROUNDS]
//!
//! The dossier is built once into a scratch folder beside it (on tmpfs when
//! the dossier is), then each round edits one article, rebuilds, and puts
//! the file back (rebuilding again, untimed). Prints the median and 90th
//! percentile per kind of edit, with the work done (bodies rendered, files
//! written) and where the time went. `bench/rebuild.sh` drives it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::engine::{Engine, EngineOptions, Sink};

/// Writes output files into a folder, as a build's staging folder would.
struct DirSink(PathBuf);

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> dossier::Result<()> {
        let file = self.0.join(path);
        std::fs::create_dir_all(file.parent().expect("files have a folder"))
            .and_then(|()| std::fs::write(&file, bytes))
            .map_err(dossier::Error::io("write", &file))
    }

    fn remove(&self, path: &str) -> dossier::Result<()> {
        let _ = std::fs::remove_file(self.0.join(path));
        Ok(())
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let at = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[at].as_secs_f64() * 1000.0
}

/// Edits the front matter line starting with `key:` or the body of `text`.
fn edit(text: &str, kind: &str, round: usize) -> String {
    let (front, body) = text[4..].split_once("\n---\n").expect("front matter");
    let front = front.to_string();
    match kind {
        "body" => format!("---\n{front}\n---\n{body}\nA benchmark sentence, round {round}.\n"),
        "title" => {
            let front = front
                .lines()
                .map(|l| {
                    if l.starts_with("title:") {
                        format!("title: \"Benchmark title {round}\"")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            format!("---\n{front}\n---\n{body}")
        }
        "date" => {
            let front = front
                .lines()
                .map(|l| {
                    if l.starts_with("date:") {
                        format!(
                            "date: 20{:02}-0{}-1{}",
                            10 + round % 9,
                            1 + round % 9,
                            round % 9
                        )
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n");
            format!("---\n{front}\n---\n{body}")
        }
        _ => panic!("unknown kind of edit `{kind}`: body, title or date"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(
        args.next()
            .expect("usage: rebuild_bench DOSSIER_DIR [ROUNDS]"),
    );
    let rounds: usize = args
        .next()
        .map_or(10, |r| r.parse().expect("ROUNDS is a number"));
    let out = root.join(".bench-output");
    let _ = std::fs::remove_dir_all(&out);
    let sink = DirSink(out.clone());
    // As `dossier serve` runs it: the briefing page (which depends on
    // every article) is made when a browser asks for it.
    let mut engine = Engine::new(
        &root,
        EngineOptions {
            briefing_on_request: true,
            ..EngineOptions::default()
        },
    );
    let start = Instant::now();
    let first = engine.build(&sink).expect("the dossier builds");
    println!(
        "cold build: {:.0} ms, {} files",
        start.elapsed().as_secs_f64() * 1000.0,
        first.files
    );
    let start = Instant::now();
    let idle = engine.rebuild(&[], &sink).expect("rebuilds");
    println!(
        "rebuild, nothing changed: {:.0} ms, {} pages rendered, {} written",
        start.elapsed().as_secs_f64() * 1000.0,
        idle.pages_rendered,
        idle.written.len()
    );

    let articles: Vec<PathBuf> = walk(&root.join("content/articles"));
    println!(
        "{:<6} {:>10} {:>10} {:>8} {:>8} {:>8}  stages (median round)",
        "edit", "median ms", "p90 ms", "bodies", "pages", "written"
    );
    // `REBUILD_KINDS=body` measures one kind (for a profiler).
    let kinds = std::env::var("REBUILD_KINDS").unwrap_or_else(|_| "body,title,date".into());
    for kind in kinds.split(',') {
        let mut times = Vec::new();
        let mut report = Vec::new();
        for round in 0..rounds {
            let file = &articles[(round * 7919) % articles.len()];
            let original = std::fs::read_to_string(file).expect("readable");
            std::fs::write(file, edit(&original, kind, round)).expect("writable");
            let start = Instant::now();
            let outcome = engine
                .rebuild(std::slice::from_ref(file), &sink)
                .expect("rebuilds");
            times.push(start.elapsed());
            report.push(outcome);
            std::fs::write(file, &original).expect("writable");
            engine
                .rebuild(std::slice::from_ref(file), &sink)
                .expect("rebuilds");
        }
        let mut order: Vec<usize> = (0..times.len()).collect();
        order.sort_by_key(|&i| times[i]);
        let median = &report[order[order.len() / 2]];
        let mut sorted = times.clone();
        sorted.sort();
        let stages: Vec<String> = median
            .timings
            .iter()
            .map(|t| format!("{} {:.1}", t.stage, t.wall.as_secs_f64() * 1000.0))
            .collect();
        println!(
            "{kind:<6} {:>10.1} {:>10.1} {:>8} {:>8} {:>8}  {}",
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.9),
            median.bodies_rendered,
            median.pages_rendered,
            median.written.len(),
            stages.join(", ")
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("content/articles exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}
