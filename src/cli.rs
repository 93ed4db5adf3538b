//! The command line: what the user can ask for, as typed values.
//!
//! clap derives the parser and the help text from these doc comments; the
//! binary's `main` turns a [`Cli`] into calls into the library. Nothing here
//! does any work.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Build cross-linked briefing dossiers from clipped articles.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None)]
pub struct Cli {
    /// The dossier folder (the one holding site.yaml).
    #[arg(
        long,
        short = 'C',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub root: PathBuf,

    /// Show stage timings; twice for debug output.
    #[arg(long, short, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Print only warnings and errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Output format for findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Human-readable reports.
    Text,
    /// One JSON document with every finding, for editors and CI.
    Json,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced atomically).
    Build {
        /// Output folder (default: `output` from site.yaml).
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Publish under this URL (overrides `base_url` in site.yaml).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Fail on warnings too, including broken links that site.yaml
        /// lowers to warnings (`links.broken: warn`).
        #[arg(long)]
        strict: bool,
        /// Also write the PDF briefing (`briefing.pdf` in the output folder).
        #[arg(long)]
        pdf: bool,
        /// Build everything from the sources: neither read nor write the
        /// build cache kept beside the output.
        #[arg(long)]
        no_cache: bool,
    },
    /// Serve the site on a local port and rebuild it on every save; open
    /// pages update in place. Never touches the output folder.
    Serve {
        /// Port to listen on; fails if it is taken (0 lets the system
        /// choose). Default: 1111, or the next free port after it.
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to listen on (0.0.0.0 serves every network interface).
        #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
        bind: std::net::IpAddr,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Write the briefing as a PDF: cover, contents, chronology, articles,
    /// actors, notes and index.
    Pdf {
        /// The PDF file (default: `briefing.pdf` in the output folder).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Only articles involving this actor (name, alias or slug); repeat
        /// for several.
        #[arg(long, value_name = "NAME")]
        actor: Vec<String>,
        /// Only articles with this tag.
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only articles from this date on (2017-01-25, 2016-11 or 2015).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only articles up to this date.
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Check the dossier for problems without writing anything.
    Check {
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// How to print findings.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Also ask every external URL whether it still answers (needs curl).
        #[arg(long)]
        external: bool,
        /// With --external: requests in flight at once.
        #[arg(long, default_value_t = 8, value_name = "N", requires = "external")]
        concurrency: usize,
        /// With --external: seconds allowed per request.
        #[arg(
            long,
            default_value_t = 10,
            value_name = "SECONDS",
            requires = "external"
        )]
        timeout: u64,
    },
    /// Create a new dossier in DIR, with an example article and the default theme.
    Init {
        /// Where to create it (must not exist, or be empty).
        dir: PathBuf,
        /// The dossier's title.
        #[arg(long, default_value = "New dossier")]
        title: String,
    },
    /// Write a new article with its front matter filled in as a template.
    New {
        /// The article's headline.
        title: String,
        /// The publication it comes from.
        #[arg(long)]
        source: Option<String>,
        /// Its publication date (2017-01-25, 2016-11 or 2015); without it the
        /// field is left empty for you to fill in, never guessed.
        #[arg(long)]
        date: Option<String>,
    },
    /// Remove the output folder (only if dossier made it).
    Clean {
        /// Output folder (default: `output` from site.yaml).
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn parses_build_with_options() {
        let cli = Cli::try_parse_from([
            "dossier",
            "build",
            "--output",
            "/tmp/x",
            "--drafts",
            "--base-url",
            "https://e.org/",
        ])
        .unwrap();
        match cli.command {
            Command::Build {
                output,
                drafts,
                base_url,
                ..
            } => {
                assert_eq!(output, Some(PathBuf::from("/tmp/x")));
                assert!(drafts);
                assert_eq!(base_url.as_deref(), Some("https://e.org/"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn serve_defaults_to_loopback_on_1111() {
        let cli = Cli::try_parse_from(["dossier", "serve"]).unwrap();
        match cli.command {
            Command::Serve {
                port, bind, open, ..
            } => {
                assert_eq!(port, None, "1111 or the next free port");
                assert_eq!(bind, std::net::IpAddr::from([127, 0, 0, 1]));
                assert!(!open);
            }
            other => panic!("{other:?}"),
        }
    }
}
