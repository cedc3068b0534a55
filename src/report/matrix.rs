//! The coverage matrix: outcomes down, competencies across, each cell the links joining
//! the two. One matrix per educator/employer pair that has links.
//!
//! A printed page holds about [`MAX_LEAF_COLUMNS`] columns; a pair with more competencies
//! than that is shown by domain (top-level items), each cell holding the links between
//! any items of the two domains, so no column is lost off the right of the page. The
//! coverage tables and the crosswalk keep every leaf-level detail.
use super::ReportData;
use crate::model::{Framework, Item, LinkStatus, SessionLink, Side};
use std::collections::HashMap;

/// The most competency columns a leaf-level matrix has before it is shown by domain.
pub const MAX_LEAF_COLUMNS: usize = 36;

/// Which items make the rows and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Leaves, and grouping nodes that have a link of their own.
    Leaves,
    /// Top-level items: every item counts toward the domain it is under.
    Domains,
}

pub struct Matrix<'a> {
    pub outcomes: &'a Framework,
    pub competencies: &'a Framework,
    pub level: Level,
    /// How many columns the leaf-level matrix would have (more than fit, for `Domains`).
    pub leaf_columns: usize,
    pub rows: Vec<&'a Item>,
    pub columns: Vec<&'a Item>,
    /// `cells[row][column]`: the links between the two, in workshop order.
    pub cells: Vec<Vec<Vec<&'a SessionLink>>>,
}

/// What a cell shows: the most pressing status among its links (what most needs the
/// room's attention, as on the screen) and, when there are several, their number.
pub fn cell_mark(links: &[&SessionLink]) -> Option<(LinkStatus, usize)> {
    [
        LinkStatus::Disputed,
        LinkStatus::Proposed,
        LinkStatus::Agreed,
        LinkStatus::Rejected,
    ]
    .into_iter()
    .find(|s| links.iter().any(|l| l.status == *s))
    .map(|s| (s, links.len()))
}

/// The cell's text: "✓", or "!3" for three links the most pressing of which is disputed.
pub fn cell_text(links: &[&SessionLink]) -> String {
    match cell_mark(links) {
        None => String::new(),
        Some((s, 1)) => s.symbol().to_string(),
        Some((s, n)) => format!("{}{n}", s.symbol()),
    }
}

/// Row (or column) of every item at `level`: its own, for a shown item, or its
/// domain's. `None` for an item the matrix does not show.
fn placement(fw: &Framework, level: Level, ends: &[&str]) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut shown = Vec::new();
    let mut at = vec![None; fw.items.len()];
    match level {
        Level::Leaves => {
            for (i, it) in fw.items.iter().enumerate() {
                if fw.is_leaf(i) || ends.contains(&it.identifier.as_str()) {
                    at[i] = Some(shown.len());
                    shown.push(i);
                }
            }
        }
        Level::Domains => {
            for (i, it) in fw.items.iter().enumerate() {
                let top = fw.ancestors(i).last().unwrap_or(i);
                if it.parent.is_none() {
                    shown.push(i);
                }
                at[i] = shown.iter().position(|&s| s == top);
            }
        }
    }
    (shown, at)
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
            // Links between this pair as (outcome, competency), either direction.
            let mut between: Vec<(&str, &str, &SessionLink)> = Vec::new();
            for l in &data.links {
                let (o, d) = (&l.link.origin, &l.link.destination);
                if o.framework_identifier == edu.identifier
                    && d.framework_identifier == emp.identifier
                {
                    between.push((&o.item_identifier, &d.item_identifier, l));
                } else if d.framework_identifier == edu.identifier
                    && o.framework_identifier == emp.identifier
                {
                    between.push((&d.item_identifier, &o.item_identifier, l));
                }
            }
            if between.is_empty() {
                continue;
            }
            let ends: Vec<&str> = between.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
            let leaf_columns = placement(emp, Level::Leaves, &ends).0.len();
            let level = if leaf_columns > MAX_LEAF_COLUMNS {
                Level::Domains
            } else {
                Level::Leaves
            };
            let (rows, row_of) = placement(edu, level, &ends);
            let (columns, column_of) = placement(emp, level, &ends);
            let index = |fw: &Framework| -> HashMap<String, usize> {
                fw.items
                    .iter()
                    .enumerate()
                    .map(|(i, it)| (it.identifier.clone(), i))
                    .collect()
            };
            let (edu_index, emp_index) = (index(edu), index(emp));
            let mut cells = vec![vec![Vec::new(); columns.len()]; rows.len()];
            for (o, c, l) in between {
                let r = edu_index.get(o).and_then(|&i| row_of[i]);
                let k = emp_index.get(c).and_then(|&i| column_of[i]);
                if let (Some(r), Some(k)) = (r, k) {
                    cells[r][k].push(l);
                }
            }
            out.push(Matrix {
                outcomes: edu,
                competencies: emp,
                level,
                leaf_columns,
                rows: rows.iter().map(|&i| &edu.items[i]).collect(),
                columns: columns.iter().map(|&i| &emp.items[i]).collect(),
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
