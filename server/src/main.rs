use std::process::ExitCode;

fn main() -> ExitCode {
    smallbatch::cli::main()
}
