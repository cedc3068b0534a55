//! The coverage matrix: outcomes down, competencies across, each cell the link joining
//! the two (if any). One matrix per educator/employer pair that has links.
use super::ReportData;
use crate::model::{Framework, Item, SessionLink, Side};
use std::collections::{HashMap, HashSet};

pub struct Matrix<'a> {
    pub outcomes: &'a Framework,
    pub competencies: &'a Framework,
    /// The rows: leaves, and grouping nodes that have a link of their own.
    pub rows: Vec<&'a Item>,
    pub columns: Vec<&'a Item>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<Option<&'a SessionLink>>>,
}

/// The items a matrix shows: leaves, and any node some link ends at.
fn shown<'a>(fw: &'a Framework, ends: &HashSet<&str>) -> Vec<&'a Item> {
    fw.items
        .iter()
        .enumerate()
        .filter(|(i, it)| fw.is_leaf(*i) || ends.contains(it.identifier.as_str()))
        .map(|(_, it)| it)
        .collect()
}

pub fn matrices(data: &ReportData) -> Vec<Matrix<'_>> {
    let mut out = Vec::new();
    let side = |s| {
        data.frameworks
            .iter()
            .filter(move |f: &&Framework| f.side == s)
    };
    for edu in side(Side::Educator) {
        for emp in side(Side::Employer) {
            // Links between this pair, keyed by (outcome, competency), either direction.
            let mut between: HashMap<(&str, &str), &SessionLink> = HashMap::new();
            for l in &data.links {
                let (o, d) = (&l.link.origin, &l.link.destination);
                if o.framework_identifier == edu.identifier
                    && d.framework_identifier == emp.identifier
                {
                    between.insert((o.item_identifier.as_str(), d.item_identifier.as_str()), l);
                } else if d.framework_identifier == edu.identifier
                    && o.framework_identifier == emp.identifier
                {
                    between.insert((d.item_identifier.as_str(), o.item_identifier.as_str()), l);
                }
            }
            if between.is_empty() {
                continue;
            }
            let ends: HashSet<&str> = between.keys().flat_map(|(a, b)| [*a, *b]).collect();
            let (rows, columns) = (shown(edu, &ends), shown(emp, &ends));
            let cells = rows
                .iter()
                .map(|r| {
                    columns
                        .iter()
                        .map(|c| {
                            between
                                .get(&(r.identifier.as_str(), c.identifier.as_str()))
                                .copied()
                        })
                        .collect()
                })
                .collect();
            out.push(Matrix {
                outcomes: edu,
                competencies: emp,
                rows,
                columns,
                cells,
            });
        }
    }
    out
}

/// What a person calls an item: its code, or its identifier.
pub(super) fn label(it: &Item) -> &str {
    if it.code.is_empty() {
        &it.identifier
    } else {
        &it.code
    }
}
