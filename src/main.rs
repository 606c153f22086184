fn main() -> std::process::ExitCode {
    samverkan::run_cli()
}
