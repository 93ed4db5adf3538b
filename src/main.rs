//! The `dossier` binary: parse the command line, run it, report, exit.
//!
//! This is the only place that prints diagnostics and the only place that
//! decides the exit code: 0 on success, 1 when the dossier's content has
//! errors (or warnings under `check --strict`), 2 when the command itself
//! could not run (bad arguments, an unsafe output folder, I/O failures).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use log::{info, warn};

use dossier::cli::{Cli, ColorChoice, Command, Format};
use dossier::diagnostic::{Diagnostic, Diagnostics, plural};
use dossier::error::Error;
use dossier::pipeline::{self, BuildOptions};
use dossier::{briefing, check, scaffold, serve, write};

fn main() -> ExitCode {
    // Huge pages only where they were measured to pay: see there.
    dossier::heap::allow_huge_pages(false);
    let cli = Cli::parse();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        }
    };
    init_logging(&cli, color);
    match run(cli, color) {
        Ok(code) => code,
        Err(Error::Content(diagnostics)) => {
            let count = diagnostics.summary();
            print_diagnostics(diagnostics.sorted(), color);
            eprintln!(
                "error: the dossier has {count}; nothing was written, and the previous output is unchanged"
            );
            ExitCode::from(1)
        }
        // The theme's Typst template failing is a problem with the
        // dossier, like any other content error.
        Err(err @ Error::Template(_)) => {
            eprintln!("error: {err}");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::from(2)
        }
    }
}

fn init_logging(cli: &Cli, color: bool) {
    let level = match (cli.quiet, cli.verbose) {
        (true, _) => "warn",
        (false, 0) => "info",
        (false, 1) => "dossier=debug,info",
        (false, _) => "debug",
    };
    env_logger::Builder::from_env(env_logger::Env::new().filter_or("DOSSIER_LOG", level))
        .format(|buf, record| match record.level() {
            log::Level::Info => writeln!(buf, "{}", record.args()),
            // The word diagnostics use (`warning: …`), not the log crate's.
            log::Level::Warn => writeln!(buf, "warning: {}", record.args()),
            level => writeln!(buf, "{}: {}", level.as_str().to_lowercase(), record.args()),
        })
        .write_style(if color {
            env_logger::WriteStyle::Always
        } else {
            env_logger::WriteStyle::Never
        })
        .init();
}

fn print_diagnostics(diagnostics: Vec<Diagnostic>, color: bool) {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diagnostics {
        let _ = writeln!(out, "{}\n", d.render(color));
    }
}

fn run(cli: Cli, color: bool) -> Result<ExitCode, Error> {
    let root = cli.root.clone();
    match cli.command {
        Command::Build {
            output,
            drafts,
            base_url,
            strict,
            pdf,
            no_cache,
        } => {
            let report = pipeline::build(&BuildOptions {
                root,
                output,
                drafts,
                base_url,
                progress: !cli.quiet,
                strict,
                pdf,
                no_cache,
                racy_window: None,
            })?;
            let warnings = report.warnings.len();
            print_diagnostics(report.warnings, color);
            for stage in &report.timings {
                log::debug!("  {stage}");
            }
            let s = report.stats;
            let warned = if warnings > 0 {
                format!(" ({warnings} warning{})", plural(warnings))
            } else {
                String::new()
            };
            match &report.cache {
                pipeline::CacheUse::UpToDate => {
                    info!(
                        "Up to date: nothing changed since the last build ({} page{}, {} ms) → {}{warned}",
                        report.pages,
                        plural(report.pages),
                        report.elapsed.as_millis(),
                        report.output.display(),
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                pipeline::CacheUse::Ignored(why) => {
                    log::debug!("build cache not used: {why}");
                }
                pipeline::CacheUse::BodiesOnly => log::debug!(
                    "build cache: the output was changed since the last build; every page is compared"
                ),
                pipeline::CacheUse::Reused => {}
            }
            log::debug!(
                "  rendered {} of {} pages and {} Markdown text{}; read {} content file{}, and parsed the front matter of {}",
                report.pages_rendered,
                report.pages,
                report.bodies_rendered,
                plural(report.bodies_rendered),
                report.files_read,
                plural(report.files_read),
                report.files_parsed,
            );
            info!(
                "Built {} page{} in {} ms: {} file{} written, {} unchanged, {} removed → {}{}",
                report.pages,
                plural(report.pages),
                report.elapsed.as_millis(),
                s.written,
                plural(s.written),
                s.unchanged,
                s.removed,
                report.output.display(),
                warned
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            port,
            bind,
            drafts,
            open,
        } => {
            serve::serve(&serve::ServeOptions {
                root,
                bind,
                port,
                drafts,
                open,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                color,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            strict,
            format,
            drafts,
            external,
            concurrency,
            timeout,
        } => {
            let options = check::CheckOptions {
                include_drafts: drafts,
                external: external.then_some(check::ExternalOptions {
                    concurrency,
                    timeout: std::time::Duration::from_secs(timeout),
                }),
            };
            let findings: Diagnostics = check::check_with(&root, &options)?;
            let failed = findings.has_errors() || (strict && !findings.is_empty());
            let summary = findings.summary();
            match format {
                Format::Json => {
                    let list: Vec<serde_json::Value> =
                        findings.sorted().iter().map(Diagnostic::to_json).collect();
                    let doc = serde_json::json!({ "ok": !failed, "findings": list });
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&doc).expect("invariant: JSON serialises")
                    );
                }
                Format::Text => {
                    print_diagnostics(findings.sorted(), color);
                    if failed {
                        eprintln!("error: check failed: {summary}");
                    } else {
                        info!("Check passed: {summary}");
                    }
                }
            }
            Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Pdf {
            output,
            actor,
            tag,
            from,
            to,
            drafts,
        } => {
            let report = briefing::write_pdf(&briefing::PdfRequest {
                root,
                output,
                drafts,
                selection: briefing::Selection {
                    actors: actor,
                    tag,
                    from,
                    to,
                },
            })?;
            let warnings = report.warnings.len();
            print_diagnostics(report.warnings, color);
            info!(
                "Wrote the briefing ({} article{}, {} KB) in {} ms → {}{}",
                report.articles,
                plural(report.articles),
                report.bytes / 1024,
                report.elapsed.as_millis(),
                report.path.display(),
                if warnings > 0 {
                    format!(" ({warnings} warning{})", plural(warnings))
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir, title } => {
            let files = scaffold::init(&dir, &title)?;
            info!(
                "Created a new dossier in {} ({} files). Next: cd {} && dossier build",
                dir.display(),
                files.len(),
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            title,
            source,
            date,
        } => {
            let path = scaffold::new_article(&root, &title, source.as_deref(), date.as_deref())?;
            info!(
                "Wrote {}; fill in its front matter and remove `draft: true` when it is ready",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Clean { output } => {
            let config = pipeline::configure(&root, None)?;
            let output = output.unwrap_or_else(|| config.output.clone().into());
            let dir = write::OutputDir::new(&root, &output)?;
            let _lock = dir.lock()?;
            if dir.clean()? {
                info!("Removed {}", dir.live.display());
            } else {
                warn!("nothing to remove at {}", dir.live.display());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
