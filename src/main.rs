//! The `carnet` binary: parses the command line, runs it, and maps the outcome to an exit code.

use std::io::Write;
use std::process::ExitCode;

// Parsing thousands of posts allocates many small nodes (comrak's AST, YAML values): mimalloc
// serves them markedly faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = carnet::cli::Cli::parse_colored(std::env::args_os().collect());
    let color = cli.global.color.stream();
    match carnet::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let mut stderr = anstream::AutoStream::new(std::io::stderr().lock(), color);
            let prefix = carnet::output::error_prefix();
            let _ = writeln!(stderr, "{prefix} {error:#}");
            ExitCode::from(carnet::Outcome::Trouble.code())
        }
    }
}

/// `carnet list | head` closes the pipe early: that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
