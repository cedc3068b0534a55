//! CSV framework import under arbitrary bytes: parsing, storing and exporting must
//! never panic; bad input is an error.
#![no_main]
use crosswalk::case::{CaseVersion, export_framework, parse_csv};
use crosswalk::store::Workshop;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(pkg) = parse_csv(data, "fuzz.csv") else {
        return;
    };
    export_framework(&pkg, CaseVersion::V1_1);
    let mut ws = Workshop::open_in_memory().expect("an in-memory workshop opens");
    let _ = ws.import_package(&pkg, None);
});
