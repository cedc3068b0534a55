//! What the workshop already knows about pairs of items: links already drawn (never
//! suggested again, and a hint for the item's siblings) and suggestions turned down.
use crate::model::{Framework, Link};
use std::collections::HashMap;

/// The workshop's knowledge, per item of the query framework, in candidate item indices.
#[derive(Debug, Clone, Default)]
pub struct Context {
    by_item: HashMap<String, ItemContext>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct ItemContext {
    /// Linked to the item already, or rejected for it: never suggested. Sorted.
    pub excluded: Vec<usize>,
    /// Candidates the item's siblings are linked to. Sorted.
    pub sibling_linked: Vec<usize>,
    /// Their parents (domains). Sorted.
    pub sibling_domains: Vec<usize>,
}

impl Context {
    /// Nothing known: every candidate may be suggested, none is boosted.
    pub fn empty() -> Context {
        Context::default()
    }

    /// Reads `links` (either direction) and `rejected` pairs of item identifiers (either
    /// order) between items of `query` and items of `candidates`; the rest are ignored.
    pub fn new(
        query: &Framework,
        candidates: &Framework,
        links: &[Link],
        rejected: &[(String, String)],
    ) -> Context {
        let q_index = identifiers(query);
        let c_index = identifiers(candidates);
        let pair = |a: &str, b: &str| match (q_index.get(a), c_index.get(b)) {
            (Some(&q), Some(&c)) => Some((q, c)),
            _ => match (q_index.get(b), c_index.get(a)) {
                (Some(&q), Some(&c)) => Some((q, c)),
                _ => None,
            },
        };
        let mut linked: Vec<Vec<usize>> = vec![Vec::new(); query.items.len()];
        let mut excluded: Vec<Vec<usize>> = vec![Vec::new(); query.items.len()];
        for link in links {
            if let Some((q, c)) = pair(
                &link.origin.item_identifier,
                &link.destination.item_identifier,
            ) {
                linked[q].push(c);
                excluded[q].push(c);
            }
        }
        for (a, b) in rejected {
            if let Some((q, c)) = pair(a, b) {
                excluded[q].push(c);
            }
        }
        // Candidates linked by any child of each parent, so siblings are found in one pass.
        let mut by_parent: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for (q, cs) in linked.iter().enumerate() {
            if let Some(p) = query.items[q].parent {
                by_parent
                    .entry(p)
                    .or_default()
                    .extend(cs.iter().map(|&c| (q, c)));
            }
        }
        let mut by_item = HashMap::new();
        for (q, item) in query.items.iter().enumerate() {
            let mut ctx = ItemContext {
                excluded: std::mem::take(&mut excluded[q]),
                ..Default::default()
            };
            if let Some(siblings) = item.parent.and_then(|p| by_parent.get(&p)) {
                ctx.sibling_linked = siblings
                    .iter()
                    .filter(|(s, _)| *s != q)
                    .map(|&(_, c)| c)
                    .collect();
                ctx.sibling_domains = ctx
                    .sibling_linked
                    .iter()
                    .filter_map(|&c| candidates.items[c].parent)
                    .collect();
            }
            for list in [
                &mut ctx.excluded,
                &mut ctx.sibling_linked,
                &mut ctx.sibling_domains,
            ] {
                list.sort_unstable();
                list.dedup();
            }
            if ctx != ItemContext::default() {
                by_item.insert(item.identifier.clone(), ctx);
            }
        }
        Context { by_item }
    }

    pub(super) fn for_item(&self, identifier: &str) -> Option<&ItemContext> {
        self.by_item.get(identifier)
    }
}

fn identifiers(framework: &Framework) -> HashMap<&str, usize> {
    let mut map = HashMap::with_capacity(framework.items.len());
    for (i, item) in framework.items.iter().enumerate() {
        // The first item wins should a (broken) framework repeat an identifier.
        map.entry(item.identifier.as_str()).or_insert(i);
    }
    map
}
