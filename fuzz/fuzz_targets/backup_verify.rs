//! Fuzz the archive reader behind `backup verify` and `restore`'s first pass: the parallel
//! gzip reader, the tar walk, the manifest parser, the member-path allow-list and the
//! signature check. No input may panic or hang; whatever is wrong must be a problem in the
//! report, and an archive reported intact must have a manifest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stellar_obs::backup::archive;
use stellar_obs::backup::report::VerifyReport;
use stellar_obs::output::Report;

fuzz_target!(|data: &[u8]| {
    let len = data.len() as u64;
    let v = archive::verify_reader(std::io::Cursor::new(data.to_vec()), len, &|_| true, &|_| {});
    if v.intact() {
        assert!(v.manifest.is_some(), "intact without a manifest");
        let m = v.manifest.as_ref().expect("manifest");
        assert_eq!(v.members_ok, m.members.len(), "intact but not every member checked");
        for mem in &m.members {
            assert!(mem.mode <= 0o777, "a mode beyond 0777 passed: {:o}", mem.mode);
        }
    } else {
        assert!(!v.problems.is_empty() || v.manifest.is_none());
    }
    let report = VerifyReport::new(std::path::Path::new("fuzz.tar.gz"), &v, false);
    let _ = report.human(&Default::default());
    let _ = report.json();
});
