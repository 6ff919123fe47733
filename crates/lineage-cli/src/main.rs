//! The native CLI, one file per subcommand: `analyze` prints a report,
//! `eval` runs the evaluation protocol over a directory, `passages` finds
//! verbatim passages shared across large corpora; `collect` asks a
//! chat-completions endpoint for answers, `import` converts existing
//! outputs, `panel` builds and shows reference panels. `input` reads files
//! and role arguments, `families` the user's word on vendor families;
//! `output` chooses the format, draws the progress bar and writes files
//! whole.

mod analyze;
mod collect;
mod eval;
mod families;
mod import;
mod input;
mod output;
mod panel;
mod passages;

mod cli {
    use clap::{Parser, Subcommand};

    #[derive(Parser)]
    #[command(
        name = "lineage",
        version,
        about = "Which candidate model does a suspect model's writing resemble, how sure, and why"
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        Analyze(crate::analyze::AnalyzeArgs),
        Eval(crate::eval::EvalArgs),
        Passages(crate::passages::PassagesArgs),
        Collect(crate::collect::CollectArgs),
        Import(crate::import::ImportArgs),
        Panel(crate::panel::PanelArgs),
    }

    /// Runs the command line; the process exit status (0, or 2 on an error).
    pub fn main() -> i32 {
        let result = match Cli::parse().command {
            Command::Analyze(args) => crate::analyze::run(args),
            Command::Eval(args) => crate::eval::run(args),
            Command::Passages(args) => crate::passages::run(args),
            Command::Collect(args) => crate::collect::run(args),
            Command::Import(args) => crate::import::run(args),
            Command::Panel(args) => crate::panel::run(args),
        };
        match result {
            Ok(()) => 0,
            Err(e) => {
                // The code first, as the JS package's `error.code`.
                eprintln!("error: {}: {e}", e.kind().code());
                2
            }
        }
    }
}

fn main() {
    std::process::exit(cli::main());
}
