//! The sample frameworks a new default workshop opens on, built into the binary.
use super::{Result, StoreError, Workshop};
use crate::model::Side;

/// (file name, CASE JSON, side), in pairs: educator then employer.
pub const SAMPLE_FRAMEWORKS: &[(&str, &str, Side)] = &[
    (
        "chw-certificate-outcomes.json",
        include_str!("../../sample-frameworks/chw-certificate-outcomes.json"),
        Side::Educator,
    ),
    (
        "chw-role-competencies.json",
        include_str!("../../sample-frameworks/chw-role-competencies.json"),
        Side::Employer,
    ),
    (
        "energy-technician-outcomes.json",
        include_str!("../../sample-frameworks/energy-technician-outcomes.json"),
        Side::Educator,
    ),
    (
        "energy-utility-competencies.json",
        include_str!("../../sample-frameworks/energy-utility-competencies.json"),
        Side::Employer,
    ),
];

/// Imports every sample framework and puts the first pair on screen.
pub(super) fn seed_samples(ws: &mut Workshop) -> Result<()> {
    let mut first_pair = Vec::new();
    for (name, json, side) in SAMPLE_FRAMEWORKS {
        let pkg = crate::case::parse_package(json.as_bytes(), name)
            .map_err(|e| StoreError::Refused(format!("built-in sample {e}")))?;
        let report = ws.import_package(&pkg, Some(*side))?;
        if first_pair.len() < 2 {
            first_pair.push(report.framework_identifier);
        }
    }
    if let [left, right] = first_pair.as_slice() {
        ws.set_setting("screen.left", left)?;
        ws.set_setting("screen.right", right)?;
    }
    Ok(())
}
