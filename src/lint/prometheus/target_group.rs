//! A target group as the checks see it (a `static_configs` entry or a file_sd target
//! group), and the file_sd files read so far. A leaf: the discovery checks make groups,
//! the checking context keeps the cache.

use crate::lint::schema::Sp;

/// A static target group (`static_configs` entry or a file_sd target group).
#[derive(Debug, Clone, Default)]
pub struct TargetGroup {
    pub targets: Vec<Sp<String>>,
    pub labels: Vec<(String, String)>,
}

/// A file_sd file's target groups as read once: its displayed path and groups, or `None`
/// when it could not be read or parsed (reported at the first read), by path.
pub type FileSdCache = std::cell::RefCell<
    std::collections::HashMap<std::path::PathBuf, Option<std::rc::Rc<(String, Vec<TargetGroup>)>>>,
>;
