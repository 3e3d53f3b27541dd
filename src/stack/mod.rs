//! The stack on disk and in Docker: embedded templates, `init`, the `.env` file, the
//! connector's metric catalogue, and the container engines (stack/engine/).

pub mod catalogue;
pub mod engine;
pub mod env_file;
pub mod ha;
pub mod init;
pub mod lifecycle;
pub mod ownership;
pub mod status;
pub mod templates;
