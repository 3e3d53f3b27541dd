//! The tokio runtime for the commands that talk to the network. It lives below the commands
//! (beside the HTTP seam) so that no command module imports from `run.rs`.

use anyhow::Result;

/// A multi-threaded tokio runtime for the commands that talk to the network.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
