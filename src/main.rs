fn main() -> std::process::ExitCode {
    samverkan::cli::main()
}
