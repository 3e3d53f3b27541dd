//! The stack on disk and in Docker: `init`, the container engines (stack/engine/),
//! ownership, and the lifecycle commands. The embedded templates, the `.env` file and the
//! connector's metric catalogue are leaves beside it (`crate::templates`,
//! `crate::env_file`, `crate::catalogue`), so `settings` and `lint` use them without
//! importing the stack.

pub mod engine;
pub mod init;
pub mod lifecycle;
pub mod ownership;
pub mod status;

// The old paths (`crate::stack::templates`, ...) of the leaves that moved beside the stack,
// so that code written against them still builds; new code names the leaves directly.
pub use crate::{catalogue, env_file, templates};
