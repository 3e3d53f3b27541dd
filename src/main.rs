use std::process::ExitCode;

// mimalloc: the linter allocates and frees hundreds of thousands of small tree nodes per
// large file; glibc malloc spent a fifth of `validate`'s time in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    stellar_obs::run::main()
}
